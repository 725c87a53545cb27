package dev.athanor.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import dev.athanor.monitoring.certificates.CertificatesFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin page's {@code certificates} check on real certificate files (made with the JDK's keytool, laid out as
 * {@code ops certs} installs them): days left, unhealthy when overdue, healthy with nothing configured.
 */
class CertificatesHealthCheckTest {

    @TempDir
    Path temp;

    @Test
    void withNothingConfiguredItIsHealthyAndSaysSo() {
        HealthCheck.Result result = check(List.of());

        assertThat(result.isHealthy()).isTrue();
        assertThat(result.getMessage()).isEqualTo("no certificates managed (certificates.domains is empty)");
    }

    @Test
    void reportsDaysLeftForAFreshCertificate() throws Exception {
        install("learn.example.com", "-1d", 90);

        HealthCheck.Result result = check(List.of("learn.example.com"));

        assertThat(result.isHealthy()).as(result.getMessage()).isTrue();
        assertThat(result.getMessage()).startsWith("learn.example.com: 88 days left").contains("renewal from");
    }

    @Test
    void turnsUnhealthyWhenACertificateIsOverdueForRenewal() throws Exception {
        install("learn.example.com", "-70d", 90);

        HealthCheck.Result result = check(List.of("learn.example.com"));

        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).contains("OVERDUE: should have been renewed by");
    }

    @Test
    void aConfiguredDomainWithoutACertificateIsUnhealthy() {
        HealthCheck.Result result = check(List.of("learn.example.com"));

        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).isEqualTo(
                "learn.example.com: configured but no certificate issued (ops certs issue)");
    }

    @Test
    void isScheduledAsANonCriticalCheck() {
        assertThat(SiteHealth.defaults().getHealthCheckConfigurations())
                .anySatisfy(check -> {
                    assertThat(check.getName()).isEqualTo(CertificatesHealthCheck.NAME);
                    assertThat(check.isCritical()).isFalse();
                });
    }

    private HealthCheck.Result check(List<String> domains) {
        CertificatesFactory factory = CertificatesFactory.fromMap(Map.of("domains", domains,
                "directory", temp.resolve("certificates").toString()));
        return new CertificatesHealthCheck(factory, Clock.systemUTC()).execute();
    }

    /** A self-signed certificate for {@code name} from {@code start} (keytool's -startdate), installed as ops does. */
    private void install(String name, String start, int days) throws Exception {
        Path version = Files.createDirectories(temp.resolve("certificates/" + name + "/versions/0001"));
        Path store = temp.resolve(name + ".p12");
        run("-genkeypair", "-keyalg", "EC", "-alias", "site", "-keystore", store.toString(), "-storepass",
                "secret", "-dname", "CN=" + name, "-ext", "SAN=dns:" + name, "-startdate", start, "-validity",
                Integer.toString(days));
        run("-exportcert", "-rfc", "-alias", "site", "-keystore", store.toString(), "-storepass", "secret", "-file",
                version.resolve("fullchain.pem").toString());
        Files.createSymbolicLink(temp.resolve("certificates/" + name + "/current"), Path.of("versions/0001"));
    }

    private static void run(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "keytool").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
