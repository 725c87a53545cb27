package dev.athanor.platform.health;

import com.codahale.metrics.health.HealthCheck;
import dev.athanor.monitoring.DiskSpace;
import dev.athanor.monitoring.DiskSpaceLimit;
import java.io.IOException;
import java.nio.file.Path;

/** Enough free space is left on the file system under a directory (the data or the log directory). */
final class DiskSpaceHealthCheck extends HealthCheck {

    private final Path directory;
    private final DiskSpaceLimit limit;

    DiskSpaceHealthCheck(Path directory, DiskSpaceLimit limit) {
        this.directory = directory;
        this.limit = limit;
    }

    @Override
    protected Result check() throws IOException {
        DiskSpace.Reading reading = DiskSpace.measure(directory);
        return limit.shortfall(reading).map(Result::unhealthy).orElseGet(() -> Result.healthy(reading.describe()));
    }
}
