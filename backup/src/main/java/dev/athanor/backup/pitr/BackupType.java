package dev.athanor.backup.pitr;

import java.util.Locale;

/** pgBackRest's kinds of base backup: a full copy, or the files changed since the last full one. */
public enum BackupType {
    FULL, DIFF;

    String option() {
        return "--type=" + name().toLowerCase(Locale.ROOT);
    }
}
