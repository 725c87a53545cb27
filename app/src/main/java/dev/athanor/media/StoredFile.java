package dev.athanor.media;

/** A file in the media store: its key (such as {@code videos/3f9a...e1.mp4}), size, SHA-256 and type. */
record StoredFile(String key, long sizeBytes, String sha256, String contentType) {
}
