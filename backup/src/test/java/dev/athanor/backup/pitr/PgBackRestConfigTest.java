package dev.athanor.backup.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.backup.storage.BackupStorageFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PgBackRestConfigTest {

    private static final Cluster CLUSTER = new Cluster("a cluster", Path.of("/var/lib/postgresql/15/main"),
            Path.of("/var/run/postgresql"), 5432, "postgres", Optional.empty(), List.of(),
            Path.of("/usr/lib/postgresql/15/bin"), Path.of("/usr/lib/postgresql/15/bin"), false);

    @Test
    void spacesGetsHostStyleTheDumpsKeysAndTheWindowAsRetention() throws Exception {
        PitrFactory pitr = new PitrFactory();
        pitr.setDirectory("/var/lib/athanor/pitr");

        String config = PgBackRestConfig.render(spaces("https://fra1.digitaloceanspaces.com", "DO00KEY"), pitr,
                CLUSTER, "secret-phrase");

        assertThat(config.lines()).contains("repo1-type=s3", "repo1-s3-endpoint=fra1.digitaloceanspaces.com",
                "repo1-s3-bucket=site-backups", "repo1-s3-uri-style=host", "repo1-path=/pitr",
                "repo1-s3-key=DO00KEY", "repo1-s3-key-secret=shh", "repo1-cipher-type=aes-256-cbc",
                "repo1-cipher-pass=secret-phrase", "repo1-retention-full-type=time", "repo1-retention-full=14",
                "archive-async=y", "spool-path=/var/lib/athanor/pitr/spool", "[athanor]",
                "pg1-path=/var/lib/postgresql/15/main", "pg1-socket-path=/var/run/postgresql", "pg1-port=5432",
                "pg1-user=postgres");
        assertThat(config).doesNotContain("repo1-storage-port", "repo1-storage-ca-file");
        assertThat(PgBackRestConfig.passphrase(config)).contains("secret-phrase");
    }

    @Test
    void anotherPortAPrivateCaPathStyleAndNoKeysForInstanceRoles() throws Exception {
        PitrFactory pitr = new PitrFactory();
        pitr.setCaFile("/etc/athanor/ca.pem");
        BackupStorageFactory storage = storage(Map.of("type", "s3", "endpoint", "https://localhost:9443", "bucket",
                "site-backups", "pathStyle", true));

        String config = PgBackRestConfig.render(storage, pitr, CLUSTER, "p");

        assertThat(config.lines()).contains("repo1-s3-endpoint=localhost", "repo1-storage-port=9443",
                "repo1-s3-uri-style=path", "repo1-s3-key-type=auto", "repo1-storage-ca-file=/etc/athanor/ca.pem");
        assertThat(config).doesNotContain("repo1-s3-key=");
    }

    @Test
    void plainHttpStorageIsRefusedNamingWhy() {
        assertThatThrownBy(() -> PgBackRestConfig.render(spaces("http://127.0.0.1:9000", "k"), new PitrFactory(),
                CLUSTER, "p")).isInstanceOf(PitrException.class).hasMessageContaining("only over TLS")
                .extracting(e -> ((PitrException) e).exitCode()).isEqualTo(PitrException.CONFIG);
    }

    @Test
    void directoryStorageKeepsTheRepositoryBesideTheDumps() throws Exception {
        BackupStorageFactory storage = new BackupStorageFactory();
        storage.setDirectory("/srv/backups");

        String config = PgBackRestConfig.render(storage, new PitrFactory(), CLUSTER, "p");

        assertThat(config.lines()).contains("repo1-type=posix", "repo1-path=/srv/backups/pitr");
    }

    private static BackupStorageFactory spaces(String endpoint, String key) {
        return storage(Map.of("type", "s3", "endpoint", endpoint, "bucket", "site-backups", "accessKeyId", key,
                "secretAccessKey", key.isEmpty() ? "" : "shh"));
    }

    /** As config.yml's backup.storage keys would make it. */
    private static BackupStorageFactory storage(Map<String, Object> keys) {
        return new com.fasterxml.jackson.databind.ObjectMapper().convertValue(keys, BackupStorageFactory.class);
    }
}
