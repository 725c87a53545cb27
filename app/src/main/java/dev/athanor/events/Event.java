package dev.athanor.events;

import java.time.Instant;

/** Something a learner did that the creator wants to count. */
record Event(Kind kind, Instant occurredAt, Long learnerId, Long lessonId, Long bytes) {

    /** The event as the {@code event} table stores it. */
    EventDao.Row row() {
        return new EventDao.Row(kind.column, occurredAt, learnerId, lessonId, bytes);
    }

    enum Kind {
        LESSON_START("lesson_start"), LESSON_COMPLETE("lesson_complete"), VIDEO_DELIVERY("video_delivery"),
        DOWNLOAD("download");

        final String column;

        Kind(String column) {
            this.column = column;
        }
    }
}
