package dev.athanor.ops.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.ops.testing.OpsRun;
import dev.athanor.ops.testing.PitrFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A setup that cannot reach the repository changes nothing on the server: archiving stays off, no restart. */
class PitrSetupRefusalTest {

    @TempDir
    Path temp;

    @Test
    void aWrongStorageKeyLeavesArchivingOff() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/pgbackrest")), "pgbackrest is not installed (./dev test"
                + " installs it)");
        try (PitrFixture site = PitrFixture.create(temp, "60 seconds",
                config -> config.set("ATHANOR_BACKUP_S3_SECRET_ACCESS_KEY", "not-the-key"))) {
            OpsRun setup = site.ops("pitr", "setup", "--yes");

            assertThat(setup.exitCode()).isEqualTo(69);
            assertThat(setup.err()).contains("cannot reach the repository, so nothing was changed on the server");
            try (Connection connection = site.connect(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SHOW archive_mode")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("off");
            }
            assertThat(site.s3().objects("pitr/")).isEmpty();
            assertThat(site.work().resolve("data/pitr/pgbackrest.conf")).as("not set up").doesNotExist();
            assertThat(site.work().resolve("data/pitr/pgbackrest.conf.new")).doesNotExist();
            OpsRun status = site.ops("pitr", "status");
            assertThat(status.exitCode()).isEqualTo(78);
            assertThat(status.out()).contains("not set up");
        }
    }

    @Test
    void aRestartNotAllowedTakesTheSettingsBack() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/pgbackrest")), "pgbackrest is not installed (./dev test"
                + " installs it)");
        try (PitrFixture site = PitrFixture.create(temp, "60 seconds", config -> config)) {
            OpsRun setup = site.ops("pitr", "setup"); // no terminal to ask on: the answer is no

            assertThat(setup.exitCode()).isEqualTo(78);
            assertThat(setup.err()).contains("nothing was restarted", "the archive settings were taken back");
            assertThat(site.work().resolve("data/pitr/pgbackrest.conf")).as("not set up").doesNotExist();
            try (Connection connection = site.connect(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT string_agg(name || '=' || setting, ',' ORDER BY"
                            + " name) FROM pg_settings WHERE name IN ('archive_mode', 'archive_command')")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("archive_command=(disabled),archive_mode=off");
            }
        }
    }
}
