package dev.athanor.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpaceTest {

    @TempDir
    Path temp;

    @Test
    void measuresTheRealFileSystem() throws IOException {
        DiskSpace.Reading reading = DiskSpace.measure(temp);

        assertThat(reading.totalBytes()).isPositive();
        assertThat(reading.usableBytes()).isBetween(1L, reading.totalBytes());
        assertThat(reading.directory()).isEqualTo(temp);
        assertThat(reading.describe()).contains(temp.toString()).contains("free");
    }

    @Test
    void aDirectoryNotYetCreatedIsMeasuredOnItsParent() throws IOException {
        Path missing = temp.resolve("logs/not/yet");

        DiskSpace.Reading reading = DiskSpace.measure(missing);

        assertThat(Files.exists(missing)).isFalse();
        assertThat(reading.directory()).isEqualTo(missing);
        assertThat(reading.totalBytes()).isEqualTo(DiskSpace.measure(temp).totalBytes());
    }

    @Test
    void limitNamesWhichMinimumIsMissed() {
        DiskSpace.Reading reading = new DiskSpace.Reading(temp, 500L * 1024 * 1024, 10L * 1024 * 1024 * 1024);

        assertThat(new DiskSpaceLimit(1024L * 1024 * 1024, 1).shortfall(reading))
                .hasValueSatisfying(why -> assertThat(why).contains("500.0 MiB free").contains("minimum of 1.0 GiB"));
        assertThat(new DiskSpaceLimit(0, 10).shortfall(reading))
                .hasValueSatisfying(why -> assertThat(why).contains("(5%)").contains("minimum of 10%"));
        assertThat(new DiskSpaceLimit(100L * 1024 * 1024, 4).shortfall(reading)).isEmpty();
    }

    @Test
    void rejectsImpossibleReadingsAndLimits() {
        assertThatThrownBy(() -> new DiskSpace.Reading(temp, 2, 1)).hasMessageContaining("impossible reading");
        assertThatThrownBy(() -> new DiskSpaceLimit(-1, 0)).hasMessageContaining("minimumFreeBytes");
        assertThatThrownBy(() -> new DiskSpaceLimit(0, 101)).hasMessageContaining("minimumFreePercent");
    }
}
