package dev.athanor.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Retention over generated histories: random sequences of backup attempts over months (successes, failures, some
 * verified, some proven bad, some taken before a deploy, several a day or none for days), planned with random
 * policies. The plan must keep exactly what the policy says, computed here the plain way, never fewer than the minimum
 * of good backups, always the newest verified one and the newest pre-deploy one, delete nothing when the listing was
 * incomplete or the newest attempt failed, be stable (pruning what it kept deletes nothing more), and keep the same
 * daily, weekly and monthly backups whether pre-deploy backups are among them or not.
 */
class RetentionPolicyTest {

    /** One generated attempt: a gap since the previous one, and how it ended. */
    record Attempt(Duration gap, boolean succeeded, boolean verified, boolean provenBad, boolean preDeploy) {
    }

    record History(List<RetentionCandidate> backups, Optional<Instant> newestFailure) {
    }

    @Property(tries = 400)
    void keepsExactlyWhatThePolicySays(@ForAll("histories") History history, @ForAll("policies") RetentionPolicy policy) {
        RetentionPlan plan = policy.plan(history.backups(), Optional.empty(), true);

        assertThat(plan.refusal()).isEmpty();
        assertThat(Set.copyOf(plan.kept())).isEqualTo(expectedKept(history.backups(), policy));
        assertThat(plan.kept().size() + plan.deletions().size()).isEqualTo(history.backups().size());
    }

    @Property(tries = 400)
    void neverFewerThanTheMinimumOfGoodBackupsAndAlwaysTheNewestVerified(@ForAll("histories") History history,
            @ForAll("policies") RetentionPolicy policy) {
        RetentionPlan plan = policy.plan(history.backups(), Optional.empty(), true);

        long good = history.backups().stream().filter(backup -> backup.good() && !backup.preDeploy()).count();
        assertThat(plan.kept().stream().filter(RetentionCandidate::good).count())
                .isGreaterThanOrEqualTo(Math.min(good, policy.minimumGood()));
        newestVerified(history.backups()).ifPresent(newest -> assertThat(plan.kept()).contains(newest));
        assertThat(plan.deletions()).allSatisfy(deleted -> assertThat(plan.decisions().stream()
                .filter(decision -> decision.backup().equals(deleted)).findFirst().orElseThrow().reasons())
                .isNotEmpty());
    }

    @Property(tries = 200)
    void deletesNothingWhenTheListingWasIncomplete(@ForAll("histories") History history,
            @ForAll("policies") RetentionPolicy policy) {
        RetentionPlan plan = policy.plan(history.backups(), history.newestFailure(), false);

        assertThat(plan.refusal()).hasValueSatisfying(reason -> assertThat(reason).contains("listing"));
        assertThat(plan.deletions()).isEmpty();
        assertThat(plan.kept()).hasSameSizeAs(history.backups());
    }

    @Property(tries = 300)
    void deletesNothingWhenTheNewestAttemptFailed(@ForAll("histories") History history,
            @ForAll("policies") RetentionPolicy policy) {
        RetentionPlan plan = policy.plan(history.backups(), history.newestFailure(), true);
        Optional<Instant> newestGood = history.backups().stream().filter(RetentionCandidate::good)
                .map(RetentionCandidate::createdAt).max(Comparator.naturalOrder());
        boolean newestFailed = history.newestFailure().isPresent()
                && (newestGood.isEmpty() || !history.newestFailure().get().isBefore(newestGood.get()));

        if (newestFailed) {
            assertThat(plan.deletions()).isEmpty();
            assertThat(plan.refusal()).hasValueSatisfying(reason -> assertThat(reason).contains("failed"));
        } else {
            assertThat(plan.refusal()).isEmpty();
        }
    }

    @Property(tries = 300)
    void pruningWhatWasKeptDeletesNothingMore(@ForAll("histories") History history,
            @ForAll("policies") RetentionPolicy policy) {
        List<RetentionCandidate> kept = policy.plan(history.backups(), Optional.empty(), true).kept();

        assertThat(policy.plan(kept, Optional.empty(), true).deletions()).isEmpty();
    }

    @Property(tries = 300)
    void preDeployBackupsChangeNothingInWhatIsKeptOfTheOthers(@ForAll("histories") History history,
            @ForAll("policies") RetentionPolicy policy) {
        List<RetentionCandidate> withoutPreDeploy = history.backups().stream()
                .filter(backup -> !backup.preDeploy()).toList();

        List<RetentionCandidate> keptWith = policy.plan(history.backups(), Optional.empty(), true).kept();
        List<RetentionCandidate> keptWithout = policy.plan(withoutPreDeploy, Optional.empty(), true).kept();

        assertThat(keptWith.stream().filter(backup -> !backup.preDeploy()).toList())
                .containsExactlyElementsOf(keptWithout);
    }

    @Property(tries = 300)
    void keepsTheNewestPreDeployBackupAndDeletesTheOlderOnes(@ForAll("histories") History history,
            @ForAll("policies") RetentionPolicy policy) {
        List<RetentionCandidate> preDeploy = history.backups().stream().filter(RetentionCandidate::preDeploy)
                .sorted(Comparator.comparing(RetentionCandidate::createdAt).reversed()).toList();

        RetentionPlan plan = policy.plan(history.backups(), Optional.empty(), true);

        List<RetentionCandidate> keptPreDeploy = plan.kept().stream().filter(RetentionCandidate::preDeploy).toList();
        if (preDeploy.isEmpty()) {
            assertThat(keptPreDeploy).isEmpty();
        } else {
            assertThat(keptPreDeploy).contains(preDeploy.get(0)).hasSizeLessThanOrEqualTo(2);
            assertThat(plan.deletions()).containsAll(preDeploy.stream().skip(1)
                    .filter(backup -> !keptPreDeploy.contains(backup)).toList());
            assertThat(plan.decisions()).filteredOn(decision -> decision.backup().preDeploy() && !decision.keep())
                    .allSatisfy(decision -> assertThat(decision.reasons()).containsAnyOf(
                            "a newer pre-deploy backup exists", "failed its verification"));
        }
    }

    @Property(tries = 100)
    void theDefaultsKeepAWeekOfDailyBackupsFromADailySchedule(@ForAll @IntRange(min = 8, max = 400) int days) {
        Instant start = Instant.parse("2024-01-01T03:30:00Z");
        List<RetentionCandidate> daily = new ArrayList<>();
        for (int day = 0; day < days; day++) {
            daily.add(new RetentionCandidate("b" + day, start.plus(Duration.ofDays(day)), true, false));
        }

        List<RetentionCandidate> kept = RetentionPolicy.defaults().plan(daily, Optional.empty(), true).kept();

        assertThat(kept).containsAll(daily.subList(days - 7, days));
        assertThat(kept.size()).isLessThanOrEqualTo(7 + 4 + 12);
    }

    /** The policy, the plain way: each rule's picks, united. */
    private static Set<RetentionCandidate> expectedKept(List<RetentionCandidate> backups, RetentionPolicy policy) {
        List<RetentionCandidate> good = backups.stream().filter(backup -> backup.good() && !backup.preDeploy())
                .sorted(Comparator.comparing(RetentionCandidate::createdAt).reversed()
                        .thenComparing(RetentionCandidate::id, Comparator.reverseOrder()))
                .toList();
        Set<RetentionCandidate> kept = new HashSet<>();
        kept.addAll(newestOfNewestPeriods(good, policy.daily(), RetentionPolicyTest::day));
        kept.addAll(newestOfNewestPeriods(good, policy.weekly(), backup -> {
            LocalDate day = day(backup);
            return day.get(IsoFields.WEEK_BASED_YEAR) * 100 + day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        }));
        kept.addAll(newestOfNewestPeriods(good, policy.monthly(), backup -> YearMonth.from(day(backup))));
        kept.addAll(good.subList(0, Math.min(policy.minimumGood(), good.size())));
        newestVerified(backups).ifPresent(kept::add);
        Comparator<RetentionCandidate> byTime = Comparator.comparing(RetentionCandidate::createdAt)
                .thenComparing(RetentionCandidate::id);
        backups.stream().filter(RetentionCandidate::preDeploy).max(byTime).ifPresent(kept::add);
        backups.stream().filter(backup -> backup.preDeploy() && backup.good()).max(byTime).ifPresent(kept::add);
        return kept;
    }

    private static List<RetentionCandidate> newestOfNewestPeriods(List<RetentionCandidate> newestFirst, int count,
            Function<RetentionCandidate, Object> period) {
        LinkedHashSet<Object> periods = newestFirst.stream().map(period)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Set<Object> chosen = periods.stream().limit(count).collect(Collectors.toSet());
        List<RetentionCandidate> picks = new ArrayList<>();
        Set<Object> taken = new HashSet<>();
        for (RetentionCandidate backup : newestFirst) {
            Object key = period.apply(backup);
            if (chosen.contains(key) && taken.add(key)) {
                picks.add(backup);
            }
        }
        return picks;
    }

    private static Optional<RetentionCandidate> newestVerified(List<RetentionCandidate> backups) {
        return backups.stream().filter(backup -> backup.good() && backup.verified() && !backup.preDeploy())
                .max(Comparator.comparing(RetentionCandidate::createdAt).thenComparing(RetentionCandidate::id));
    }

    private static LocalDate day(RetentionCandidate backup) {
        return LocalDate.ofInstant(backup.createdAt(), ZoneOffset.UTC);
    }

    @Provide
    Arbitrary<RetentionPolicy> policies() {
        return Combinators.combine(Arbitraries.integers().between(0, 10), Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 14), Arbitraries.integers().between(1, 4))
                .as(RetentionPolicy::new);
    }

    @Provide
    Arbitrary<History> histories() {
        Arbitrary<Duration> gaps = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(20, 28).map(Duration::ofHours)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 180).map(Duration::ofMinutes)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(2, 40).map(Duration::ofDays)));
        Arbitrary<Attempt> attempts = Combinators.combine(gaps, Arbitraries.of(true, true, true, true, false),
                Arbitraries.of(true, false, false, false), Arbitraries.of(false, false, false, false, false, true),
                Arbitraries.of(false, false, false, false, true)).as(Attempt::new);
        return attempts.list().ofMinSize(0).ofMaxSize(120).map(RetentionPolicyTest::history);
    }

    private static History history(List<Attempt> attempts) {
        Instant time = Instant.parse("2023-11-27T03:30:00Z");
        List<RetentionCandidate> backups = new ArrayList<>();
        Optional<Instant> newestFailure = Optional.empty();
        int number = 0;
        for (Attempt attempt : attempts) {
            time = time.plus(attempt.gap());
            if (attempt.succeeded()) {
                boolean good = !attempt.provenBad();
                backups.add(new RetentionCandidate(String.format("b%04d", number++), time, good,
                        good && attempt.verified(), attempt.preDeploy()));
            } else {
                newestFailure = Optional.of(time);
            }
        }
        return new History(backups, newestFailure);
    }
}
