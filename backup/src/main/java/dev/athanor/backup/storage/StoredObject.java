package dev.athanor.backup.storage;

import java.time.Instant;

/** One object as the storage lists it. */
public record StoredObject(String name, long size, Instant lastModified) {
}
