package dev.athanor.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why a backup was taken: by the daily or weekly schedule, by hand, or by {@code ops deploy} before it migrates
 * ({@code pre-deploy}). Retention treats daily, weekly and manual backups alike; it keeps the newest pre-deploy backup
 * until a newer one replaces it, apart from the others (see {@code RetentionPolicy}).
 */
public enum BackupKind {
    DAILY, WEEKLY, MANUAL, PRE_DEPLOY;

    /** The kind as ids, manifests and the command line spell it: {@code daily}, {@code pre-deploy}. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Reads a label ({@code pre-deploy}, also {@code pre_deploy}, any case). */
    @JsonCreator
    public static BackupKind of(String label) {
        return valueOf(label.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
