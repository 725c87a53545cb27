package dev.athanor.media;

/** A stored video file as lessons refer to it. */
public record Video(long id, String key, String contentType, long sizeBytes, String sha256, int durationSeconds) {
}
