package dev.athanor.accounts;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The {@code learner} table: each account's address (unique, stored lower-case), password hash, role, and when its
 * address was confirmed or the account disabled.
 */
@RegisterConstructorMapper(LearnerDao.Credentials.class)
@RegisterConstructorMapper(Accounts.Account.class)
interface LearnerDao {

    /** What a password is checked against. */
    record Credentials(long id, String passwordHash) {
    }

    /** Creates an account, unconfirmed; its id, or empty when the address has one already. */
    @SqlQuery("""
            INSERT INTO learner (email, password_hash, password_changed_at) VALUES (:email, :hash, now())
            ON CONFLICT (email) DO NOTHING RETURNING id""")
    Optional<Long> insert(@Bind("email") String email, @Bind("hash") String passwordHash);

    /**
     * Creates an operator, confirmed, or makes an existing account one (enabled again, with this password).
     */
    @SqlUpdate("""
            INSERT INTO learner (email, password_hash, password_changed_at, email_verified_at, role)
            VALUES (:email, :hash, now(), now(), 'operator')
            ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = 'operator',
                password_changed_at = now(), email_verified_at = coalesce(learner.email_verified_at, now()),
                disabled_at = NULL""")
    void upsertOperator(@Bind("email") String email, @Bind("hash") String passwordHash);

    @SqlQuery("SELECT id FROM learner WHERE email = :email")
    Optional<Long> idOf(@Bind("email") String email);

    @SqlQuery("SELECT id FROM learner WHERE email = :email AND disabled_at IS NULL")
    Optional<Long> enabledIdOf(@Bind("email") String email);

    @SqlQuery("SELECT email FROM learner WHERE id = :id")
    Optional<String> email(@Bind("id") long id);

    @SqlQuery("SELECT email FROM learner WHERE id = :id AND email_verified_at IS NULL")
    Optional<String> unconfirmedEmail(@Bind("id") long id);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM learner WHERE email = :email)")
    boolean taken(@Bind("email") String email);

    @SqlQuery("""
            SELECT id, email, email_verified_at IS NOT NULL AS verified, role = 'operator' AS operator
            FROM learner WHERE id = :id""")
    Optional<Accounts.Account> account(@Bind("id") long id);

    @SqlQuery("""
            SELECT id, email, email_verified_at IS NOT NULL AS verified, role = 'operator' AS operator
            FROM learner WHERE id = ANY(:ids)""")
    List<Accounts.Account> accounts(@Bind("ids") Long[] ids);

    @SqlQuery("SELECT role = 'operator' FROM learner WHERE id = :id")
    boolean operator(@Bind("id") long id);

    @SqlQuery("SELECT id, password_hash FROM learner WHERE id = :id")
    Optional<Credentials> credentials(@Bind("id") long id);

    @SqlQuery("SELECT id, password_hash FROM learner WHERE email = :email AND disabled_at IS NULL")
    Optional<Credentials> enabledCredentials(@Bind("email") String email);

    /** Confirms the address (if it was not already); the address. */
    @SqlQuery("""
            UPDATE learner SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = :id
            RETURNING email""")
    Optional<String> confirmEmail(@Bind("id") long id);

    /** Confirms the address of an enabled account; the address, or empty when the account is disabled. */
    @SqlQuery("""
            UPDATE learner SET email_verified_at = coalesce(email_verified_at, now())
            WHERE id = :id AND disabled_at IS NULL RETURNING email""")
    Optional<String> confirmEnabledEmail(@Bind("id") long id);

    /** Moves the account to a new address, confirmed by the link that brought it. */
    @SqlUpdate("UPDATE learner SET email = :email, email_verified_at = now() WHERE id = :id")
    void changeEmail(@Bind("id") long id, @Bind("email") String email);

    /** The same password, hashed at today's cost. */
    @SqlUpdate("UPDATE learner SET password_hash = :hash WHERE id = :id")
    void rehash(@Bind("id") long id, @Bind("hash") String passwordHash);

    @SqlUpdate("UPDATE learner SET password_hash = :hash, password_changed_at = now() WHERE id = :id")
    void changePassword(@Bind("id") long id, @Bind("hash") String passwordHash);

    /** A new password from a reset link, which also proves the address. */
    @SqlUpdate("""
            UPDATE learner SET password_hash = :hash, password_changed_at = now(),
                email_verified_at = coalesce(email_verified_at, now())
            WHERE id = :id""")
    void resetPassword(@Bind("id") long id, @Bind("hash") String passwordHash);

    @SqlQuery("UPDATE learner SET disabled_at = coalesce(disabled_at, now()) WHERE email = :email RETURNING id")
    Optional<Long> disable(@Bind("email") String email);

    @SqlQuery("UPDATE learner SET disabled_at = NULL WHERE email = :email RETURNING id")
    Optional<Long> enable(@Bind("email") String email);
}
