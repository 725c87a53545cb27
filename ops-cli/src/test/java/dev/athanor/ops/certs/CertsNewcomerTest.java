package dev.athanor.ops.certs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ops.testing.OpsRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a newcomer's machine (the shipped config.yml, nothing set) the certificate commands say there is nothing. */
class CertsNewcomerTest {

    @TempDir
    Path temp;

    @Test
    void theShippedConfigurationManagesNoCertificates() throws Exception {
        Path config = temp.resolve("config.yml");
        Files.writeString(config, Files.readString(Path.of("..", "config.yml"))
                .replace("${ATHANOR_DATA_DIR:-./data}", temp.resolve("data").toString()));

        OpsRun status = OpsRun.of("certs", "status", "--config", config.toString());
        OpsRun check = OpsRun.of("certs", "check", "--config", config.toString());
        OpsRun renew = OpsRun.of("certs", "renew", "--config", config.toString());
        OpsRun issue = OpsRun.of("certs", "issue", "--config", config.toString());

        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("No certificates managed yet");
        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.out()).isEqualTo("OK no certificates managed\n");
        assertThat(renew.exitCode()).as(renew.err()).isZero();
        assertThat(renew.out()).contains("No certificates managed");
        assertThat(issue.exitCode()).isEqualTo(66);
        assertThat(issue.err()).isEqualTo("ops: no domain given and certificates.domains is empty\n");
        assertThat(OpsRun.of("certs").out()).contains("issue", "renew", "status", "check", "rollback");
    }

    @Test
    void aWrongSettingNamesItsKey() throws Exception {
        Path config = temp.resolve("config.yml");
        Files.writeString(config, Files.readString(Path.of("..", "config.yml"))
                .replace("${ATHANOR_DATA_DIR:-./data}", temp.resolve("data").toString())
                .replace("${ATHANOR_DOMAINS:-}", "learn.example.com, not a name!")
                .replace("directoryUrl: ${ATHANOR_ACME_DIRECTORY:-letsencrypt}", "directoryUrl: letsencrypt-prod"));

        OpsRun status = OpsRun.of("certs", "status", "--config", config.toString());

        assertThat(status.exitCode()).isEqualTo(78);
        assertThat(status.err()).contains("certificates.domains must be DNS names")
                .contains("certificates.directoryUrl must be letsencrypt, letsencrypt-staging or an https URL");
    }
}
