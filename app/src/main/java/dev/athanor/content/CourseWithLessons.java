package dev.athanor.content;

import java.util.List;

/**
 * A published course and its published lessons in order, read in one round trip ({@link CoursePageDao}), with the
 * cues of the captions of the lesson whose page is asked for (none for a course page).
 */
record CourseWithLessons(Rows.Course course, List<Rows.Lesson> lessons, List<CoursePageDao.TranscriptLine> transcript) {
}
