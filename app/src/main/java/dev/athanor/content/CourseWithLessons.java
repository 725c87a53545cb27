package dev.athanor.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.result.LinkedHashMapRowReducer;
import org.jdbi.v3.core.result.RowView;

/** A published course and its published lessons in order, read in one query. */
record CourseWithLessons(Rows.Course course, List<Rows.Lesson> lessons) {

    /** Folds the joined rows of {@link CatalogDao#courseWithLessons} into one course and its lessons. */
    public static final class Reducer implements LinkedHashMapRowReducer<Long, CourseWithLessons> {
        @Override
        public void accumulate(Map<Long, CourseWithLessons> container, RowView row) {
            Rows.Course course = row.getRow(Rows.Course.class);
            CourseWithLessons entry = container.computeIfAbsent(course.id(),
                    id -> new CourseWithLessons(course, new ArrayList<>()));
            if (row.getColumn("id", Long.class) != null) {
                entry.lessons().add(row.getRow(Rows.Lesson.class));
            }
        }
    }
}
