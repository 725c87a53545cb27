package dev.athanor.backup.retention;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which backups to keep: the newest good backup of each of the last {@code daily} days, {@code weekly} ISO weeks and
 * {@code monthly} months that have one (UTC, as restic's {@code forget --keep-daily} counts them), the
 * {@code minimumGood} newest good backups whatever their dates, and the newest verified backup. Everything else is
 * deleted, unless the plan is refused as a whole: when the listing was not read completely, or when the newest attempt
 * failed (something is wrong; deleting now could leave too little).
 *
 * <p>Daily, weekly and manual backups are alike here: a manual backup counts for its day like any other. Pre-deploy
 * backups (taken by {@code ops deploy} before it migrates) are apart: the newest is always kept (and the newest good
 * one, should the newest be proven bad), so that the schema can go back to before the last deploy, and older ones
 * are deleted once a newer one exists. They count for no day, week or month, nor for {@code minimumGood} or the
 * newest verified backup, so they change nothing in what is kept of the others.
 */
public record RetentionPolicy(int daily, int weekly, int monthly, int minimumGood) {

    public RetentionPolicy {
        if (daily < 0 || weekly < 0 || monthly < 0 || minimumGood < 1) {
            throw new IllegalArgumentException("retention counts must not be negative, and minimumGood at least 1");
        }
    }

    /** The defaults: 7 daily, 4 weekly, 12 monthly, never fewer than 2 good backups. */
    public static RetentionPolicy defaults() {
        return new RetentionPolicy(7, 4, 12, 2);
    }

    /**
     * Plans retention over {@code backups}.
     *
     * @param newestFailure when the newest failed attempt started, if any is known
     * @param listingComplete whether the storage was listed to its end
     */
    public RetentionPlan plan(List<RetentionCandidate> backups, Optional<Instant> newestFailure,
            boolean listingComplete) {
        List<RetentionCandidate> newestFirst = backups.stream()
                .sorted(Comparator.comparing(RetentionCandidate::createdAt).reversed()
                        .thenComparing(RetentionCandidate::id, Comparator.reverseOrder()))
                .toList();
        Map<RetentionCandidate, List<String>> reasons = new LinkedHashMap<>();
        newestFirst.forEach(backup -> reasons.put(backup, new ArrayList<>()));

        List<RetentionCandidate> good = newestFirst.stream().filter(RetentionCandidate::good).toList();
        List<RetentionCandidate> scheduled = good.stream().filter(backup -> !backup.preDeploy()).toList();
        keepNewestPerPeriod(scheduled, daily, backup -> day(backup), "newest of day ", reasons);
        keepNewestPerPeriod(scheduled, weekly, backup -> week(backup), "newest of week ", reasons);
        keepNewestPerPeriod(scheduled, monthly, backup -> YearMonth.from(day(backup)).toString(), "newest of month ",
                reasons);
        scheduled.stream().limit(minimumGood).forEach(backup -> reasons.get(backup)
                .add("one of the " + minimumGood + " newest good backups"));
        scheduled.stream().filter(RetentionCandidate::verified).findFirst()
                .ifPresent(backup -> reasons.get(backup).add("the newest verified backup"));
        newestFirst.stream().filter(RetentionCandidate::preDeploy).findFirst()
                .ifPresent(backup -> reasons.get(backup).add("the newest pre-deploy backup"));
        good.stream().filter(RetentionCandidate::preDeploy).findFirst()
                .ifPresent(backup -> reasons.get(backup).add("the newest good pre-deploy backup"));

        List<RetentionDecision> decisions = new ArrayList<>();
        for (RetentionCandidate backup : newestFirst) {
            List<String> why = reasons.get(backup);
            if (why.isEmpty()) {
                why.add(!backup.good() ? "failed its verification"
                        : backup.preDeploy() ? "a newer pre-deploy backup exists"
                        : "older than every kept day, week and month");
                decisions.add(new RetentionDecision(backup, false, List.copyOf(why)));
            } else {
                decisions.add(new RetentionDecision(backup, true, List.copyOf(why)));
            }
        }
        return new RetentionPlan(List.copyOf(decisions), refusal(good, newestFailure, listingComplete));
    }

    private static Optional<String> refusal(List<RetentionCandidate> good, Optional<Instant> newestFailure,
            boolean listingComplete) {
        if (!listingComplete) {
            return Optional.of("the backup listing could not be read completely; nothing is deleted");
        }
        if (newestFailure.isPresent()
                && (good.isEmpty() || !newestFailure.get().isBefore(good.get(0).createdAt()))) {
            return Optional.of("the newest backup attempt (" + newestFailure.get()
                    + ") failed; nothing is deleted until a backup succeeds");
        }
        return Optional.empty();
    }

    private static void keepNewestPerPeriod(List<RetentionCandidate> newestFirst, int periods,
            Function<RetentionCandidate, Object> periodOf, String label, Map<RetentionCandidate, List<String>> reasons) {
        Set<Object> seen = new HashSet<>();
        for (RetentionCandidate backup : newestFirst) {
            if (seen.size() == periods && !seen.contains(periodOf.apply(backup))) {
                return;
            }
            if (seen.add(periodOf.apply(backup))) {
                reasons.get(backup).add(label + periodOf.apply(backup));
            }
        }
    }

    private static LocalDate day(RetentionCandidate backup) {
        return LocalDate.ofInstant(backup.createdAt(), ZoneOffset.UTC);
    }

    private static String week(RetentionCandidate backup) {
        LocalDate day = day(backup);
        return String.format("%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }
}
