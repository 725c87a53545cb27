package dev.athanor.ops.certs;

import dev.athanor.monitoring.certificates.CertificateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

/**
 * Run in a child JVM by {@link CertificateInstallerTest}: installs the pair in {@code args[1]} (key.pem, cert.pem) into
 * the certificate directory {@code args[0]}, and halts the JVM on the spot (no shutdown hooks, no finally blocks,
 * like {@code kill -9}) right after the step named {@code args[2]}.
 */
public final class KillDuringInstall {

    private KillDuringInstall() {
    }

    public static void main(String[] args) throws Exception {
        Path pair = Path.of(args[1]);
        KeyPair key = CertificatePair.readKey(Files.readString(pair.resolve("key.pem")));
        CertificatePair certificate = new CertificatePair(key, CertificateFiles.readChain(pair.resolve("cert.pem")));
        String dieAfter = args[2];
        new CertificateInstaller(new CertificateFiles(Path.of(args[0])), step -> {
            if (step.equals(dieAfter)) {
                Runtime.getRuntime().halt(137);
            }
        }).install(certificate);
        System.exit(0);
    }
}
