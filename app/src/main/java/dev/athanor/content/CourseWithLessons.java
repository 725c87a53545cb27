package dev.athanor.content;

import java.util.List;

/** A published course and its published lessons in order, read in one query ({@link CoursePageDao}). */
record CourseWithLessons(Rows.Course course, List<Rows.Lesson> lessons) {
}
