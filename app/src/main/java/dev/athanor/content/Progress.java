package dev.athanor.content;

import dev.athanor.content.Pages.LessonItem;
import dev.athanor.events.Events;
import dev.athanor.platform.db.LearnerCache;
import dev.athanor.platform.db.LearnerChanges;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Where learners are in their lessons, kept on the server so they resume on any device. The player reports its
 * position every few seconds; a lesson counts as complete at 90% watched or when marked by hand (completion sticks:
 * watching again does not undo it).
 *
 * <p>A learner's states are kept in memory for a few seconds ({@link #KEPT_BRIEFLY}): progress changes every few seconds
 * while a video plays and revokes nothing, so it is not announced by the database (whose notifying commits take a
 * database-wide lock); a learner's own report drops their copy on the node that took it.
 */
final class Progress {

    static final double COMPLETE_AT = 0.9;

    /** A learner's state in one lesson (public for the row mapper; the class is not). */
    public record State(long lessonId, int positionSeconds, boolean completed) {
    }

    /** Learners whose progress is kept in memory at most, and for how long at most. */
    private static final long KEPT = 50_000;
    private static final Duration KEPT_FOR = Duration.ofMinutes(10);
    /** How long a learner's states are kept: what another node's report may take to show here. */
    static final Duration KEPT_BRIEFLY = Duration.ofSeconds(5);

    private final Jdbi jdbi;
    private final Events events;
    private final LearnerCache<Long, Map<Long, State>> kept;
    private final Clock clock;

    Progress(Jdbi jdbi, Events events, LearnerChanges changes, Clock clock) {
        this.jdbi = jdbi;
        this.events = events;
        this.kept = new LearnerCache<>("progress", changes, clock, KEPT, KEPT_FOR);
        this.clock = clock;
    }

    /** The learner's state in every lesson they have touched, by lesson id. */
    Map<Long, State> of(long learnerId) {
        return kept.get(learnerId, this::read).orElse(Map.of());
    }

    /** The learner's state in one lesson (position 0 when never started). */
    State inLesson(long learnerId, long lessonId) {
        return of(learnerId).getOrDefault(lessonId, new State(lessonId, 0, false));
    }

    private Optional<LearnerCache.Loaded<Map<Long, State>>> read(long learnerId) {
        Map<Long, State> states = jdbi.withExtension(ProgressDao.class, dao -> dao.ofLearner(learnerId)).stream()
                .collect(Collectors.toUnmodifiableMap(State::lessonId, state -> state));
        return Optional.of(new LearnerCache.Loaded<>(states, learnerId, clock.instant().plus(KEPT_BRIEFLY)));
    }

    /**
     * Records that the learner's player stands at {@code positionSeconds} of a lesson lasting
     * {@code durationSeconds}; the first report counts as starting the lesson, reaching 90% as completing it.
     */
    State report(long learnerId, long lessonId, int positionSeconds, int durationSeconds) {
        int position = Math.max(0, durationSeconds > 0 ? Math.min(positionSeconds, durationSeconds) : positionSeconds);
        boolean reachedEnd = durationSeconds > 0 && position >= COMPLETE_AT * durationSeconds;
        ProgressDao.Change change = jdbi.inTransaction(handle -> handle.attach(ProgressDao.class)
                .report(learnerId, lessonId, position, reachedEnd));
        announce(learnerId, lessonId, change);
        return new State(lessonId, position, change.completed());
    }

    /** Marks a lesson complete by hand. */
    void complete(long learnerId, long lessonId) {
        ProgressDao.Change change = jdbi.inTransaction(handle -> handle.attach(ProgressDao.class)
                .complete(learnerId, lessonId));
        announce(learnerId, lessonId, change);
    }

    /**
     * Where to continue a course: the first lesson started and not completed, else the first lesson after the last
     * completed one; nothing when the learner has not started or has finished.
     */
    Optional<LessonItem> continueWith(List<LessonItem> lessons) {
        int lastCompleted = -1;
        for (int i = 0; i < lessons.size(); i++) {
            LessonItem lesson = lessons.get(i);
            if (lesson.started() && !lesson.completed()) {
                return Optional.of(lesson);
            }
            if (lesson.completed()) {
                lastCompleted = i;
            }
        }
        return lastCompleted >= 0 && lastCompleted + 1 < lessons.size()
                ? Optional.of(lessons.get(lastCompleted + 1)) : Optional.empty();
    }

    private void announce(long learnerId, long lessonId, ProgressDao.Change change) {
        if (change.started()) {
            events.lessonStarted(learnerId, lessonId);
        }
        if (change.completedNow()) {
            events.lessonCompleted(learnerId, lessonId);
        }
    }
}
