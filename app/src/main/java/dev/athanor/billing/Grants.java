package dev.athanor.billing;

import dev.athanor.accounts.Accounts;
import dev.athanor.mail.Mail;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Manual grants, for payments made outside Stripe (PayPal, a bank transfer, a gift): access until the end of a day
 * (UTC), with a note; revoking ends it now. Every change is written to {@code grant_audit} with who made it, and the
 * learner gets a mail about a grant. Learners are found by address, and named by it, through {@link Accounts}.
 */
final class Grants {

    /** Someone with access as billing's tables know them: by learner id. */
    public record Row(long learnerId, String source, String until, String note) {
    }

    private final Jdbi jdbi;
    private final Mail mail;
    private final Supplier<Accounts> accounts;

    Grants(Jdbi jdbi, Mail mail, Supplier<Accounts> accounts) {
        this.jdbi = jdbi;
        this.mail = mail;
        this.accounts = accounts;
    }

    /** Gives {@code email}'s account access until the end of {@code until} (UTC). */
    void grant(String email, LocalDate until, String note, String actor) throws Billing.Refused {
        Instant end = until.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (!end.isAfter(Instant.now())) {
            throw new Billing.Refused("the date " + until + " has passed; give a date from today on");
        }
        long learner = learner(email);
        String kept = note == null ? "" : note;
        jdbi.useTransaction(handle -> {
            EntitlementDao entitlements = handle.attach(EntitlementDao.class);
            entitlements.endGrants(learner);
            entitlements.grant(learner, end, kept);
            entitlements.audit(learner, "grant", end, kept, actor);
            mail.queue(handle, email.strip(), "grant", Map.of("until", until.toString()));
        });
    }

    /** Ends {@code email}'s grant now; false when it had none running. */
    boolean revoke(String email, String note, String actor) throws Billing.Refused {
        long learner = learner(email);
        return jdbi.inTransaction(handle -> {
            EntitlementDao entitlements = handle.attach(EntitlementDao.class);
            int ended = entitlements.endRunningGrants(learner);
            if (ended > 0) {
                entitlements.audit(learner, "revoke", null, note == null ? "" : note, actor);
            }
            return ended > 0;
        });
    }

    /** Everyone with access now: running grants and live subscriptions, by address. */
    List<Billing.Member> members() {
        return jdbi.withHandle(handle -> {
            List<Row> rows = new ArrayList<>(handle.attach(EntitlementDao.class).runningGrants());
            rows.addAll(handle.attach(SubscriptionDao.class).liveMembers());
            Map<Long, String> emails = accounts.get().emails(rows.stream().map(Row::learnerId).distinct()
                    .toList());
            return rows.stream().filter(row -> emails.containsKey(row.learnerId()))
                    .map(row -> new Billing.Member(emails.get(row.learnerId()), row.source(), row.until(), row.note()))
                    .sorted(Comparator.comparing(Billing.Member::email))
                    .toList();
        });
    }

    /** The learner's own running grants, as {@link #members} lists them. */
    List<Billing.Member> grantsOf(long learnerId, String email) {
        return jdbi.withExtension(EntitlementDao.class, entitlements -> entitlements.runningGrantsOf(learnerId))
                .stream().map(row -> new Billing.Member(email, row.source(), row.until(), row.note())).toList();
    }

    private long learner(String email) throws Billing.Refused {
        return accounts.get().learnerId(email).orElseThrow(() -> new Billing.Refused(
                "no account has the address " + email + "; ask them to sign up first"));
    }
}
