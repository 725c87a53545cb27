package dev.athanor.content;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Learners' positions in lessons ({@code lesson_progress}); the two writes are in {@code ProgressDao/*.sql}. */
@RegisterConstructorMapper(Progress.State.class)
@RegisterConstructorMapper(ProgressDao.Change.class)
interface ProgressDao {

    /** What one report or completion changed. */
    record Change(boolean started, boolean completedNow, boolean completed) {
    }

    /** The learner's state in every lesson they have touched. */
    @SqlQuery("""
            SELECT lesson_id, position_seconds, completed_at IS NOT NULL AS completed FROM lesson_progress
            WHERE learner_id = :learnerId""")
    List<Progress.State> ofLearner(long learnerId);

    /** Saves the player's position; {@code reachedEnd} completes the lesson. */
    @SqlQuery
    @UseClasspathSqlLocator
    Change report(long learnerId, long lessonId, int position, boolean reachedEnd);

    /** Marks the lesson complete by hand. */
    @SqlQuery
    @UseClasspathSqlLocator
    Change complete(long learnerId, long lessonId);
}
