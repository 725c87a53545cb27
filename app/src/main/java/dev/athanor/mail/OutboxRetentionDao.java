package dev.athanor.mail;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Forgetting delivered mail: {@code outbox} rows sent long enough ago (unsent ones stay, however old). */
interface OutboxRetentionDao {

    @SqlUpdate("DELETE FROM outbox WHERE sent_at < now() - make_interval(secs => :age)")
    int deleteSentBefore(@Bind("age") long ageSeconds);
}
