package dev.athanor.accounts;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code second_factor} and {@code recovery_code} tables. */
@RegisterConstructorMapper(SecondFactorDao.TotpFactor.class)
interface SecondFactorDao {

    /** A learner's TOTP factor: its sealed secret, and whether its first code has confirmed it. */
    record TotpFactor(long id, byte[] totpSecret, boolean confirmed) {
    }

    @SqlQuery("""
            SELECT id, totp_secret, confirmed_at IS NOT NULL AS confirmed
            FROM second_factor WHERE learner_id = :learner AND kind = 'totp'""")
    Optional<TotpFactor> totp(@Bind("learner") long learnerId);

    @SqlQuery("""
            SELECT EXISTS (SELECT 1 FROM second_factor WHERE learner_id = :learner AND confirmed_at IS NOT NULL)""")
    boolean enabled(@Bind("learner") long learnerId);

    /** Holds the learner's row until the transaction ends, so two enrolments of one learner run one after the other. */
    @SqlQuery("SELECT id FROM learner WHERE id = :learner FOR UPDATE")
    Optional<Long> lockLearner(@Bind("learner") long learnerId);

    @SqlUpdate("DELETE FROM second_factor WHERE learner_id = :learner AND kind = 'totp' AND confirmed_at IS NULL")
    int deleteUnconfirmedTotp(@Bind("learner") long learnerId);

    @SqlUpdate("""
            INSERT INTO second_factor (learner_id, kind, label, totp_secret)
            VALUES (:learner, 'totp', :label, :secret)""")
    void insertTotp(@Bind("learner") long learnerId, @Bind("label") String label, @Bind("secret") byte[] sealed);

    /**
     * Accepts a code for {@code step} (and so confirms an enrolment): true for at most one caller, and only when no
     * code for this step or a later one was accepted before, so each code works once.
     */
    @SqlUpdate("""
            UPDATE second_factor
            SET totp_last_step = :step, last_used_at = :now, confirmed_at = coalesce(confirmed_at, :now)
            WHERE id = :id AND (totp_last_step IS NULL OR totp_last_step < :step)""")
    boolean acceptStep(@Bind("id") long id, @Bind("step") long step, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM second_factor WHERE learner_id = :learner")
    int deleteFactors(@Bind("learner") long learnerId);

    @SqlUpdate("INSERT INTO recovery_code (code_hash, learner_id, created_at) VALUES (:hash, :learner, :now)")
    void insertRecoveryCode(@Bind("hash") byte[] hash, @Bind("learner") long learnerId, @Bind("now") Instant now);

    /** Uses a recovery code up: true for at most one caller. */
    @SqlUpdate("""
            UPDATE recovery_code SET used_at = :now
            WHERE code_hash = :hash AND learner_id = :learner AND used_at IS NULL""")
    boolean useRecoveryCode(@Bind("hash") byte[] hash, @Bind("learner") long learnerId, @Bind("now") Instant now);

    @SqlQuery("SELECT count(*) FROM recovery_code WHERE learner_id = :learner AND used_at IS NULL")
    int recoveryCodesLeft(@Bind("learner") long learnerId);

    @SqlUpdate("DELETE FROM recovery_code WHERE learner_id = :learner")
    int deleteRecoveryCodes(@Bind("learner") long learnerId);

    /** Forgets authenticators not confirmed a day after their enrolment began. */
    @SqlUpdate("DELETE FROM second_factor WHERE confirmed_at IS NULL AND created_at < now() - interval '1 day'")
    int deleteAbandonedEnrolments();
}
