package dev.athanor.billing;

import dev.athanor.mail.Mail;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Manual grants, for payments made outside Stripe (PayPal, a bank transfer, a gift): access until the end of a day
 * (UTC), with a note; revoking ends it now. Every change is written to {@code grant_audit} with who made it, and the
 * learner gets a mail about a grant.
 */
public final class Grants {

    /** A member as the operator lists them: who, how they have access, until when. */
    public record Member(String email, String source, String until, String note) {

        /** Whether this is a manual grant (which the operator may revoke). */
        public boolean isGrant() {
            return source.equals("grant");
        }
    }

    /** Something the operator asked for that cannot be done, said plainly. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private final Jdbi jdbi;
    private final Mail mail;

    public Grants(Jdbi jdbi, Mail mail) {
        this.jdbi = jdbi;
        this.mail = mail;
    }

    /** Gives {@code email}'s account access until the end of {@code until} (UTC). */
    public void grant(String email, LocalDate until, String note, String actor) throws Refused {
        Instant end = until.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (!end.isAfter(Instant.now())) {
            throw new Refused("the date " + until + " has passed; give a date from today on");
        }
        long learner = learner(email);
        jdbi.useTransaction(handle -> {
            handle.createUpdate("UPDATE entitlement SET ends_at = now() WHERE learner_id = :learner"
                    + " AND source = 'grant' AND (ends_at IS NULL OR ends_at > now())").bind("learner", learner)
                    .execute();
            handle.createUpdate("INSERT INTO entitlement (learner_id, source, starts_at, ends_at, note)"
                    + " VALUES (:learner, 'grant', now(), :end, :note)").bind("learner", learner).bind("end", end)
                    .bind("note", note == null ? "" : note).execute();
            audit(handle, learner, "grant", end, note, actor);
            mail.queue(handle, email.strip(), "grant", Map.of("until", until.toString()));
        });
    }

    /** Ends {@code email}'s grant now; false when it had none running. */
    public boolean revoke(String email, String note, String actor) throws Refused {
        long learner = learner(email);
        return jdbi.inTransaction(handle -> {
            int ended = handle.createUpdate("UPDATE entitlement SET ends_at = now() WHERE learner_id = :learner"
                    + " AND source = 'grant' AND starts_at <= now() AND (ends_at IS NULL OR ends_at > now())")
                    .bind("learner", learner).execute();
            if (ended > 0) {
                audit(handle, learner, "revoke", null, note, actor);
            }
            return ended > 0;
        });
    }

    /** Everyone with access now: running grants and live subscriptions. */
    public List<Member> members() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT l.email, 'grant', to_char(e.ends_at - interval '1 second', 'YYYY-MM-DD'), e.note
                FROM entitlement e JOIN learner l ON l.id = e.learner_id
                WHERE e.source = 'grant' AND e.starts_at <= now() AND (e.ends_at IS NULL OR e.ends_at > now())
                UNION ALL
                SELECT l.email, 'stripe ' || coalesce(s.plan, '?') || ' (' || s.status
                       || CASE WHEN s.cancel_at_period_end THEN ', cancels' ELSE '' END || ')',
                       coalesce(to_char(s.current_period_end, 'YYYY-MM-DD'), ''), coalesce(s.tier, '')
                FROM subscription s JOIN learner l ON l.id = s.learner_id
                WHERE s.status IN ('active', 'trialing', 'past_due')
                ORDER BY 1""")
                .map((rs, ctx) -> new Member(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list());
    }

    private long learner(String email) throws Refused {
        Optional<Long> id = jdbi.withHandle(handle -> handle.createQuery("SELECT id FROM learner WHERE email = :email")
                .bind("email", email == null ? "" : email.strip()).mapTo(Long.class).findOne());
        return id.orElseThrow(() -> new Refused("no account has the address " + email
                + "; ask them to sign up first"));
    }

    private static void audit(org.jdbi.v3.core.Handle handle, long learner, String action, Instant until,
            String note, String actor) {
        handle.createUpdate("INSERT INTO grant_audit (learner_id, action, until, note, actor)"
                + " VALUES (:learner, :action, :until, :note, :actor)").bind("learner", learner)
                .bind("action", action).bind("until", until).bind("note", note == null ? "" : note)
                .bind("actor", actor).execute();
    }
}
