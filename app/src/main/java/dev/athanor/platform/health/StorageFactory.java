package dev.athanor.platform.health;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.athanor.monitoring.DiskSpaceLimit;
import io.dropwizard.util.DataSize;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code storage} section: the directories the site writes, and how much free space must stay on them.
 *
 * <ul>
 *   <li>{@code dataDirectory}: state the site keeps on disk (media, alert state); {@code /var/lib/athanor} on a server.
 *   <li>{@code logDirectory}: where the JSON logs go; {@code /var/log/athanor} on a server.
 *   <li>{@code minimumFreeSpace} and {@code minimumFreePercent}: below either, the {@code disk-data} and
 *       {@code disk-logs} health checks turn unhealthy (a warning: the site keeps serving).
 * </ul>
 */
public class StorageFactory {

    /** The names under which the disk checks are registered. */
    public static final String DATA_CHECK = "disk-data";
    public static final String LOGS_CHECK = "disk-logs";

    @NotEmpty
    @JsonProperty
    private String dataDirectory = "./data";

    @NotEmpty
    @JsonProperty
    private String logDirectory = "./data/logs";

    @NotNull
    @JsonProperty
    private DataSize minimumFreeSpace = DataSize.gibibytes(1);

    @DecimalMin("0")
    @DecimalMax("100")
    @JsonProperty
    private double minimumFreePercent = 10;

    public Path getDataDirectory() {
        return Path.of(dataDirectory);
    }

    public Path getLogDirectory() {
        return Path.of(logDirectory);
    }

    public DiskSpaceLimit diskSpaceLimit() {
        return new DiskSpaceLimit(minimumFreeSpace.toBytes(), minimumFreePercent);
    }

    /** Registers the free-space checks for the data and log directories. */
    public void registerHealthChecks(HealthChecks healthChecks) {
        healthChecks.register(DATA_CHECK, new DiskSpaceHealthCheck(getDataDirectory(), diskSpaceLimit()),
                Duration.ofSeconds(5));
        healthChecks.register(LOGS_CHECK, new DiskSpaceHealthCheck(getLogDirectory(), diskSpaceLimit()),
                Duration.ofSeconds(5));
    }
}
