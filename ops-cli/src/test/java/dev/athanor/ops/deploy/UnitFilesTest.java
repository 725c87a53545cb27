package dev.athanor.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped units (this checkout's systemd/, as a release holds them) installed into a unit directory only when they
 * differ, with one daemon-reload after, through a stand-in systemctl that records its calls.
 */
class UnitFilesTest {

    private static final Path SHIPPED = Path.of("..", "systemd");

    @TempDir
    Path temp;

    private Path units;
    private Release release;
    private StandInSystemctl systemd;

    @BeforeEach
    void setUp() throws Exception {
        units = temp.resolve("etc/systemd/system");
        Path directory = Files.createDirectories(temp.resolve("install/releases/1.2.0-3fa9c21b/systemd"));
        for (String unit : UnitFiles.UNITS) {
            Files.copy(SHIPPED.resolve(unit), directory.resolve(unit));
        }
        release = new Release("1.2.0-3fa9c21b", directory.getParent());
        systemd = new StandInSystemctl(temp.resolve("systemd"), temp.resolve("install"));
    }

    @Test
    void changedUnitsAreInstalledWithOneReload() throws Exception {
        UnitFiles files = new UnitFiles(Path.of("/opt/athanor"), systemd.systemctl());

        assertThat(files.install(release, units)).isTrue();

        for (String unit : UnitFiles.UNITS) {
            assertThat(units.resolve(unit)).hasSameBinaryContentAs(SHIPPED.resolve(unit));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(units.resolve(unit))))
                    .isEqualTo("rw-r--r--");
        }
        assertThat(units).isDirectoryNotContaining("glob:**.next");
        assertThat(systemd.calls()).containsExactly("daemon-reload");

        assertThat(files.install(release, units)).as("the same units again").isFalse();
        assertThat(systemd.calls()).containsExactly("daemon-reload");

        Path scheduler = release.directory().resolve("systemd/athanor-scheduler.service");
        Files.writeString(scheduler, Files.readString(scheduler).replace("-Xmx128m", "-Xmx160m"));
        long siteModified = Files.getLastModifiedTime(units.resolve("athanor@.service")).toMillis();

        assertThat(files.install(release, units)).as("one unit changed").isTrue();
        assertThat(units.resolve("athanor-scheduler.service")).content().contains("-Xmx160m");
        assertThat(Files.getLastModifiedTime(units.resolve("athanor@.service")).toMillis()).isEqualTo(siteModified);
        assertThat(systemd.calls()).containsExactly("daemon-reload", "daemon-reload");
    }

    @Test
    void anotherInstallDirectoryIsWrittenIntoTheUnits() throws Exception {
        Path install = temp.resolve("srv/athanor");

        new UnitFiles(install, systemd.systemctl()).install(release, units);

        assertThat(units.resolve("athanor@.service")).content()
                .contains("EnvironmentFile=" + install + "/instances/%i.env").doesNotContain("/opt/athanor/");
        assertThat(units.resolve("athanor-scheduler.service")).content()
                .contains("-jar " + install + "/current/ops.jar scheduler run");
    }

    @Test
    void aReleaseWithoutItsUnitsInstallsNothing() throws Exception {
        Files.delete(release.directory().resolve("systemd/athanor-health-watch.service"));

        assertThatThrownBy(() -> new UnitFiles(Path.of("/opt/athanor"), systemd.systemctl()).install(release, units))
                .isInstanceOfSatisfying(DeployException.class, e -> assertThat(e.exitCode()).isEqualTo(65))
                .hasMessageStartingWith("release 1.2.0-3fa9c21b has no readable systemd/athanor-health-watch.service");
        assertThat(units).as("not one unit installed").doesNotExist();
        assertThat(systemd.calls()).isEmpty();
    }

    @Test
    void theCompanionsAreRestartedWithoutWaitingForABackup() throws Exception {
        new UnitFiles(Path.of("/opt/athanor"), systemd.systemctl()).restartCompanions();

        assertThat(systemd.calls())
                .containsExactly("--no-block try-restart athanor-scheduler.service athanor-health-watch.service");
    }
}
