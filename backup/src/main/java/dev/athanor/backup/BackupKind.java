package dev.athanor.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a backup was taken: by the daily or weekly schedule, or by hand. Retention does not look at it. */
public enum BackupKind {
    DAILY, WEEKLY, MANUAL;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BackupKind of(String label) {
        return valueOf(label.strip().toUpperCase(Locale.ROOT));
    }
}
