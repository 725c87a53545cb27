package dev.athanor.backup.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Passes an archive through while computing its SHA-256, and holds back its last bytes until the whole archive has
 * been read and its checksum matches: a reader downstream (pg_restore in one transaction) never sees the end of a
 * damaged archive, so it can never finish, and commit, what it read. On a mismatch the final read throws an
 * {@link IOException} whose cause is a {@link ChecksumMismatchException}.
 */
public final class VerifyingInputStream extends FilterInputStream {

    /** Bytes held back: more than any read downstream needs to finish the last entry it started. */
    static final int HELD_BACK = 1 << 20;

    private final MessageDigest digest;
    private final String expected;
    private final String name;
    private final long expectedBytes;
    private final byte[] tail = new byte[HELD_BACK];
    private int tailLength;
    private int tailPosition;
    private long total;
    private boolean sourceDone;
    private boolean verified;

    public VerifyingInputStream(InputStream source, String name, String expectedSha256, long expectedBytes) {
        super(source);
        this.name = name;
        this.expected = expectedSha256;
        this.expectedBytes = expectedBytes;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int read = read(one, 0, 1);
        return read < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (true) {
            if (verified) {
                if (tailPosition >= tailLength) {
                    return -1;
                }
                int count = Math.min(length, tailLength - tailPosition);
                System.arraycopy(tail, tailPosition, buffer, offset, count);
                tailPosition += count;
                return count;
            }
            if (sourceDone) {
                verify();
                continue;
            }
            // Keep the newest HELD_BACK bytes in the tail; hand out what falls out of it.
            int read = in.read(buffer, offset, length);
            if (read < 0) {
                sourceDone = true;
                continue;
            }
            digest.update(buffer, offset, read);
            total += read;
            int released = Math.max(0, tailLength + read - HELD_BACK);
            byte[] incoming = java.util.Arrays.copyOfRange(buffer, offset, offset + read);
            int fromTail = Math.min(released, tailLength);
            System.arraycopy(tail, 0, buffer, offset, fromTail);
            int fromIncoming = released - fromTail;
            System.arraycopy(incoming, 0, buffer, offset + fromTail, fromIncoming);
            System.arraycopy(tail, fromTail, tail, 0, tailLength - fromTail);
            tailLength -= fromTail;
            System.arraycopy(incoming, fromIncoming, tail, tailLength, read - fromIncoming);
            tailLength += read - fromIncoming;
            if (released > 0) {
                return released;
            }
        }
    }

    private void verify() throws IOException {
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expected) || total != expectedBytes) {
            throw new IOException(new ChecksumMismatchException(name, expected, actual, total));
        }
        verified = true;
    }
}
