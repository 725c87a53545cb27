package dev.athanor.ops.certs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.ops.testing.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Installing never leaves a key that does not match the certificate beside it: a child JVM is halted (as by
 * {@code kill -9}) right after each step of an install, and what nginx would read is checked after each death.
 */
class CertificateInstallerTest {

    private static final TestCa CA = new TestCa();

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"key written", "chain written", "previous linked", "current linked"})
    void aProcessKilledBetweenWritesLeavesAMatchingPair(String step) throws Exception {
        CertificateFiles files = new CertificateFiles(temp.resolve("certificates/localhost"));
        TestCa.Issued first = issue();
        TestCa.Issued second = issue();
        new CertificateInstaller(files).install(new CertificatePair(first.key(), first.chain()));
        Path pair = temp.resolve("second");
        second.writeTo(pair);

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KillDuringInstall.class.getName(),
                files.directory().toString(), pair.toString(), step).redirectErrorStream(true)
                .redirectOutput(temp.resolve("child.log").toFile()).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(Files.readString(temp.resolve("child.log"))).isEqualTo(137);

        X509Certificate served = files.currentChain().orElseThrow().get(0);
        KeyPair key = CertificatePair.readKey(Files.readString(files.key()));
        assertThat(served.getPublicKey()).as("the key beside the certificate is its own").isEqualTo(key.getPublic());
        X509Certificate expected = step.equals("current linked") ? second.chain().get(0) : first.chain().get(0);
        assertThat(served).as("old pair until the switch, new pair after it").isEqualTo(expected);

        // the next install cleans up whatever the dead one left and works as usual
        TestCa.Issued third = issue();
        new CertificateInstaller(files).install(new CertificatePair(third.key(), third.chain()));
        assertThat(files.currentChain().orElseThrow().get(0)).isEqualTo(third.chain().get(0));
        try (Stream<Path> versions = Files.list(files.versions())) {
            assertThat(versions.count()).as("current and previous only").isEqualTo(2);
        }
    }

    @Test
    void keysAreWrittenOwnerOnlyAndRollbackSwapsThePairs() throws Exception {
        CertificateFiles files = new CertificateFiles(temp.resolve("certificates/localhost"));
        TestCa.Issued first = issue();
        TestCa.Issued second = issue();
        CertificateInstaller installer = new CertificateInstaller(files);
        installer.install(new CertificatePair(first.key(), first.chain()));
        installer.install(new CertificatePair(second.key(), second.chain()));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key().toRealPath())))
                .isEqualTo("rw-------");
        installer.rollback();
        assertThat(files.currentChain().orElseThrow().get(0)).isEqualTo(first.chain().get(0));
        assertThat(files.previousChain().orElseThrow().get(0)).isEqualTo(second.chain().get(0));
    }

    @Test
    void aPairIsCheckedBeforeItMayReplaceAnything() {
        TestCa.Issued issued = issue();
        TestCa.Issued other = issue();
        Instant now = Instant.now();

        assertThat(check(new CertificatePair(other.key(), issued.chain()), List.of("localhost"), now))
                .contains("not issued for this key");
        assertThat(check(new CertificatePair(issued.key(), issued.chain()), List.of("localhost", "www.localhost"),
                now)).contains("does not cover www.localhost");
        assertThat(check(new CertificatePair(issued.key(), List.of(issued.chain().get(0), other.chain().get(0))),
                List.of("localhost"), now)).contains("not signed by the next");
        assertThat(check(new CertificatePair(issued.key(), issued.chain()), List.of("localhost"),
                now.plusSeconds(86400 * 10))).contains("expired");
        assertThat(check(new CertificatePair(issued.key(), issued.chain()), List.of("localhost"), now)).isEmpty();
    }

    private static String check(CertificatePair pair, List<String> names, Instant now) {
        try {
            pair.check(names, now);
            return "";
        } catch (UnusableCertificateException e) {
            return e.getMessage();
        }
    }

    private static TestCa.Issued issue() {
        return CA.issue(List.of("localhost"), Instant.now().minusSeconds(60), Instant.now().plusSeconds(86400));
    }
}
