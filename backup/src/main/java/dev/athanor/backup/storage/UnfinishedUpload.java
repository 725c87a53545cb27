package dev.athanor.backup.storage;

import java.time.Instant;

/**
 * An upload that was started and neither completed nor aborted: a {@code NAME.partial} file in a directory, or an
 * incomplete multipart upload in a bucket (never listed as an object, but its parts cost storage). Either belongs to
 * an upload running now or to one whose process stopped; the storage cannot tell which.
 *
 * @param name the object it would have become
 * @param bytes what it holds so far
 * @param lastWritten when it was last written to (its last part, or when it was started if it has none)
 * @param handle what the storage needs to remove it (the multipart upload's id; empty for a directory)
 */
public record UnfinishedUpload(String name, long bytes, Instant lastWritten, String handle) {
}
