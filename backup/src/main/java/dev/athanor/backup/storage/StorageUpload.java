package dev.athanor.backup.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An object being written as a stream, in memory of bounded size whatever its length. Write to it, then either
 * {@link #complete()} or {@link #abort()}; {@link #close()} without {@code complete()} aborts.
 */
public abstract class StorageUpload extends OutputStream {

    /**
     * Makes the object visible under its name, after checking that the storage holds exactly the bytes written.
     *
     * @return the object's size in bytes
     */
    public abstract long complete() throws StorageException;

    /** Discards what was written; safe to call more than once and after a failure. */
    public abstract void abort();

    /** Bytes written so far. */
    public abstract long written();

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }
}
