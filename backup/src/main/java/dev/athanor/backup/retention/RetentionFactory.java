package dev.athanor.backup.retention;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The {@code backup.retention} keys: how many backups {@code ops backup prune} keeps.
 *
 * <ul>
 *   <li>{@code daily}: the newest backup of each of the last N days that have one (default 7);
 *   <li>{@code weekly}: of each of the last N ISO weeks (default 4);
 *   <li>{@code monthly}: of each of the last N months (default 12);
 *   <li>{@code minimumGood}: never fewer good backups than this, whatever the dates (default 2, at least 1).
 * </ul>
 * Days, weeks and months are counted in UTC. The newest verified backup is always kept, and so is the newest
 * pre-deploy backup, apart from these counts.
 */
public class RetentionFactory {

    @Min(0)
    @Max(1000)
    @JsonProperty
    private int daily = 7;

    @Min(0)
    @Max(1000)
    @JsonProperty
    private int weekly = 4;

    @Min(0)
    @Max(1000)
    @JsonProperty
    private int monthly = 12;

    @Min(1)
    @Max(1000)
    @JsonProperty
    private int minimumGood = 2;

    public RetentionPolicy build() {
        return new RetentionPolicy(daily, weekly, monthly, minimumGood);
    }
}
