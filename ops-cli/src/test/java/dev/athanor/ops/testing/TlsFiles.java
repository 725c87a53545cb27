package dev.athanor.ops.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A server certificate for {@code localhost} from a {@link TestCa}, as files: the key and chain in a PKCS12 key store
 * (for S3Proxy's HTTPS) and the CA's certificate as PEM (for the clients: the AWS CLI, s3cmd, pgBackRest). Readable by
 * every user, so that a client run as {@code postgres} can trust the CA.
 */
public record TlsFiles(Path directory) {

    public static final String PASSWORD = "test-keystore";
    public static final String CA_FILE = "ca.pem";

    public static TlsFiles forLocalhost(Path directory) throws IOException {
        TestCa ca = new TestCa();
        TestCa.Issued issued = ca.issue(List.of("localhost"), Instant.now().minus(1, ChronoUnit.HOURS),
                Instant.now().plus(1, ChronoUnit.DAYS));
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(directory.resolve(CA_FILE), TestCa.pem(List.of(ca.root())));
        try (OutputStream out = Files.newOutputStream(directory.resolve("server.p12"))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", issued.key().getPrivate(), PASSWORD.toCharArray(),
                    issued.chain().toArray(new X509Certificate[0]));
            store.store(out, PASSWORD.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not write the key store", e);
        }
        return new TlsFiles(directory);
    }

    public Path keyStore() {
        return directory.resolve("server.p12");
    }

    public Path caFile() {
        return directory.resolve(CA_FILE);
    }
}
