package dev.athanor.backup.archive;

import dev.athanor.backup.BackupException;

/** An archive's bytes are not the ones its manifest describes: it was changed or damaged after the backup. */
public class ChecksumMismatchException extends BackupException {

    private static final long serialVersionUID = 1L;

    public ChecksumMismatchException(String archive, String expected, String actual, long bytes) {
        super(archive + " is damaged: its SHA-256 is " + actual + " over " + bytes + " bytes, the manifest says "
                + expected + "; nothing was restored");
    }
}
