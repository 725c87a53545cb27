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
 * Lists the published catalogue for scripts (the subscriber API): every course with its lessons and their videos'
 * ids, each course with the moment it last changed (its own edits, a lesson's edit, publication or removal), so
 * that a sync script asking for what changed since its last run gets exactly those courses, whole, and the courses
 * that stopped being public since then.
 */
final class SyncListing {

    private final Jdbi jdbi;

    SyncListing(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Every published course (in catalogue order) that changed after {@code since}, or all of them. */
    List<SyncCatalogue.Course> courses(Optional<Instant> since) {
        return jdbi.withHandle(handle -> {
            CatalogDao dao = handle.attach(CatalogDao.class);
            List<Rows.Course> courses = dao.courses();
            if (courses.isEmpty()) {
                return List.of();
            }
            List<Long> ids = courses.stream().map(Rows.Course::id).toList();
            List<Rows.Lesson> lessonRows = dao.lessonsOf(ids);
            Map<Long, List<Rows.Lesson>> lessons = lessonRows.stream()
                    .collect(Collectors.groupingBy(Rows.Lesson::courseId));
            Map<Long, Instant> lessonsChanged = dao.lessonsChangedAt(ids);
            Map<Long, List<SyncCatalogue.Caption>> captions = captions(handle.attach(CaptionDao.class), lessonRows);
            List<SyncCatalogue.Course> all = new ArrayList<>();
            for (Rows.Course course : courses) {
                SyncCatalogue.Course listed = course(course, lessons.getOrDefault(course.id(), List.of()),
                        lessonsChanged.get(course.id()), captions);
                if (since.isEmpty() || listed.changedAt().isAfter(since.get())) {
                    all.add(listed);
                }
            }
            return all;
        });
    }

    Optional<SyncCatalogue.Course> course(String slug) {
        return jdbi.withHandle(handle -> {
            CatalogDao dao = handle.attach(CatalogDao.class);
            return new CoursePageDao(handle).courseWithLessons(slug, null).map(found -> course(found.course(),
                    found.lessons(), dao.lessonsChangedAt(List.of(found.course().id())).get(found.course().id()),
                    captions(handle.attach(CaptionDao.class), found.lessons())));
        });
    }

    /** The caption files of {@code lessons}, by lesson id. */
    private static Map<Long, List<SyncCatalogue.Caption>> captions(CaptionDao dao, List<Rows.Lesson> lessons) {
        if (lessons.isEmpty()) {
            return Map.of();
        }
        return dao.tracks(lessons.stream().map(Rows.Lesson::id).toList()).stream().collect(Collectors.groupingBy(
                CaptionDao.Track::lessonId, Collectors.mapping(track -> new SyncCatalogue.Caption(track.language(),
                        track.label()), Collectors.toList())));
    }

    /** The courses that were public, are not now, and stopped being public after {@code since}. */
    List<SyncCatalogue.Removal> removedSince(Instant since) {
        return jdbi.withExtension(CatalogDao.class, dao -> dao.coursesRemovedSince(since));
    }

    /** @param lessonsChanged when any of its lessons, published or not, last changed; null without lessons */
    private static SyncCatalogue.Course course(Rows.Course course, List<Rows.Lesson> lessons, Instant lessonsChanged,
            Map<Long, List<SyncCatalogue.Caption>> captions) {
        String url = Catalog.courseUrl(course.slug());
        List<SyncCatalogue.Lesson> listed = new ArrayList<>();
        Instant changed = latest(latest(course.updatedAt(), course.publishedAt()), lessonsChanged);
        List<Rows.Lesson> ordered = new ArrayList<>(lessons);
        ordered.sort(Comparator.comparingInt(Rows.Lesson::position));
        for (int i = 0; i < ordered.size(); i++) {
            Rows.Lesson lesson = ordered.get(i);
            Instant lessonChanged = latest(lesson.updatedAt(), lesson.publishedAt());
            changed = latest(changed, lessonChanged);
            listed.add(new SyncCatalogue.Lesson(lesson.id(), lesson.slug(), lesson.title(), i + 1, lesson.freePreview(),
                    Catalog.lessonUrl(course.slug(), lesson.slug()), Optional.ofNullable(lesson.videoId()),
                    lessonChanged, List.copyOf(captions.getOrDefault(lesson.id(), List.of()))));
        }
        return new SyncCatalogue.Course(course.id(), course.slug(), course.title(), course.summary(), url, changed,
                List.copyOf(listed));
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
