package dev.athanor.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresClientTest {

    @TempDir
    Path temp;

    @Test
    void findsTheMachinesPgDumpAndReadsItsVersion() throws Exception {
        PostgresClient client = PostgresClient.locate(Optional.empty());

        assertThat(client.pgDump()).isExecutable();
        assertThat(client.pgRestore()).isExecutable();
        assertThat(client.version().major()).isGreaterThanOrEqualTo(13);
    }

    @Test
    void aConfiguredDirectoryWithoutTheToolsIsAClearError() {
        assertThatThrownBy(() -> PostgresClient.locate(Optional.of(temp)))
                .isInstanceOf(ToolNotFoundException.class)
                .hasMessageContaining("pg_dump not found")
                .hasMessageContaining(temp.toString())
                .hasMessageContaining("backup.clientBinDirectory");
    }

    @Test
    void aProgramThatIsNotPgDumpIsRefused() throws IOException {
        for (String name : new String[] {"pg_dump", "pg_restore"}) {
            Path fake = temp.resolve(name);
            Files.writeString(fake, "#!/bin/sh\necho 'not a postgres tool'\n");
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        assertThatThrownBy(() -> PostgresClient.locate(Optional.of(temp))).isInstanceOf(ToolNotFoundException.class);
    }

    @Test
    void parsesVersionsAsProgramsAndServersReportThem() {
        assertThat(PostgresVersion.parse("pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)"))
                .isEqualTo(new PostgresVersion(15, 14));
        assertThat(PostgresVersion.parse("16.4")).isEqualTo(new PostgresVersion(16, 4));
        assertThat(PostgresVersion.parse("15.18 (Debian 15.18-0+deb12u1)")).as("SHOW server_version on Debian")
                .isEqualTo(new PostgresVersion(15, 18));
        assertThat(PostgresVersion.parse("17beta1")).isEqualTo(new PostgresVersion(17, 0));
        assertThatThrownBy(() -> PostgresVersion.parse("pg_dump (PostgreSQL)"))
                .hasMessageContaining("no PostgreSQL version");
    }

    @Test
    void pgDumpCanDumpItsOwnMajorAndOlderServersOnly() {
        PostgresVersion dump15 = new PostgresVersion(15, 2);

        assertThat(dump15.canDump(new PostgresVersion(15, 14))).isTrue();
        assertThat(dump15.canDump(new PostgresVersion(13, 0))).isTrue();
        assertThat(dump15.canDump(new PostgresVersion(16, 0))).isFalse();
    }
}
