package dev.athanor.content;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * The published catalogue as scripts see it (the subscriber API): every course with its lessons and their videos'
 * ids, each course with the moment it last changed (its own edits, a lesson's edit or publication), so that a sync
 * script asking for what changed since its last run gets exactly those courses, whole.
 */
public final class SyncCatalogue {

    /** A course as the API lists it. */
    public record Course(long id, String slug, String title, String summary, String url, Instant changedAt,
            List<Lesson> lessons) {
    }

    /** A lesson as the API lists it; {@code videoId} is empty for a lesson without a video. */
    public record Lesson(long id, String slug, String title, int number, boolean free, String url,
            Optional<Long> videoId, Instant changedAt) {
    }

    private final Jdbi jdbi;

    SyncCatalogue(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Every published course (in catalogue order) that changed after {@code since}, or all of them. */
    List<Course> courses(Optional<Instant> since) {
        return jdbi.withExtension(CatalogDao.class, dao -> {
            List<Rows.Course> courses = dao.courses();
            if (courses.isEmpty()) {
                return List.of();
            }
            Map<Long, List<Rows.Lesson>> lessons = dao.lessonsOf(courses.stream().map(Rows.Course::id).toList())
                    .stream().collect(Collectors.groupingBy(Rows.Lesson::courseId));
            List<Course> all = new ArrayList<>();
            for (Rows.Course course : courses) {
                Course listed = course(course, lessons.getOrDefault(course.id(), List.of()));
                if (since.isEmpty() || listed.changedAt().isAfter(since.get())) {
                    all.add(listed);
                }
            }
            return all;
        });
    }

    Optional<Course> course(String slug) {
        return jdbi.withExtension(CatalogDao.class, dao -> dao.courseWithLessons(slug, null)
                .map(found -> course(found.course(), found.lessons())));
    }

    private static Course course(Rows.Course course, List<Rows.Lesson> lessons) {
        String url = Catalog.courseUrl(course.slug());
        List<Lesson> listed = new ArrayList<>();
        Instant changed = latest(course.updatedAt(), course.publishedAt());
        List<Rows.Lesson> ordered = new ArrayList<>(lessons);
        ordered.sort(Comparator.comparingInt(Rows.Lesson::position));
        for (int i = 0; i < ordered.size(); i++) {
            Rows.Lesson lesson = ordered.get(i);
            Instant lessonChanged = latest(lesson.updatedAt(), lesson.publishedAt());
            changed = latest(changed, lessonChanged);
            listed.add(new Lesson(lesson.id(), lesson.slug(), lesson.title(), i + 1, lesson.freePreview(),
                    Catalog.lessonUrl(course.slug(), lesson.slug()), Optional.ofNullable(lesson.videoId()),
                    lessonChanged));
        }
        return new Course(course.id(), course.slug(), course.title(), course.summary(), url, changed,
                List.copyOf(listed));
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
