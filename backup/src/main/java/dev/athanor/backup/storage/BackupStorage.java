package dev.athanor.backup.storage;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where backups are kept: an S3-compatible bucket under a prefix, or a local directory. Objects are named relative to
 * that place; what a name means is the catalog's business, not the storage's.
 */
public interface BackupStorage extends AutoCloseable {

    /**
     * Starts writing {@code name}. Nothing is visible under that name until {@link StorageUpload#complete()} returns;
     * {@link StorageUpload#abort()} leaves nothing behind.
     */
    StorageUpload upload(String name) throws StorageException;

    /** Writes a small object (a manifest, a verification record) in one request, replacing any earlier one. */
    void put(String name, byte[] content) throws StorageException;

    /** Reads a small object whole, or empty when there is none. */
    Optional<byte[]> get(String name) throws StorageException;

    /** Streams an object; close the stream when done. */
    InputStream open(String name) throws StorageException;

    /**
     * Every complete object, read to the end of the listing.
     *
     * @throws StorageException when any page of the listing could not be read: callers must never take a partial
     *     listing for the whole
     */
    List<StoredObject> list() throws StorageException;

    /**
     * Every upload started and neither completed nor aborted, by any process, read to the end of the listing: a
     * backup writing now, or what a process that stopped (killed, or its machine down) left behind.
     *
     * @throws StorageException when the listing could not be read completely
     */
    List<UnfinishedUpload> unfinished() throws StorageException;

    /**
     * Removes what an unfinished upload wrote (deletes the {@code .partial} file, aborts the multipart upload); one
     * already gone is not an error. Never call it for an upload that is still being written.
     */
    void discard(UnfinishedUpload upload) throws StorageException;

    /**
     * Checks that the storage takes our requests, without reading any backup: a HEAD on the bucket (its credentials,
     * endpoint and name), or the directory being writable (or creatable).
     *
     * @throws StorageException saying what is wrong
     */
    void checkAccess() throws StorageException;

    /** Deletes an object; deleting one that is not there is not an error. */
    void delete(String name) throws StorageException;

    /** Where this is, for people and logs; never includes a secret. */
    String describe();

    @Override
    void close();
}
