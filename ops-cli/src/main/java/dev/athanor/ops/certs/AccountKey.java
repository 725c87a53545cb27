package dev.athanor.ops.certs;

import dev.athanor.monitoring.AtomicFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.util.Set;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The ACME account's key: created once (EC P-384 here, never shown to anyone), kept with mode 0600, and reused for
 * every later order, since the account and its rate limits hang on it.
 */
final class AccountKey {

    static {
        BouncyCastle.install();
    }

    private AccountKey() {
    }

    /** Reads the key in {@code file}, creating it first when it does not exist. */
    static KeyPair loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(permission -> permission.name().startsWith("GROUP")
                    || permission.name().startsWith("OTHERS"))) {
                Files.setPosixFilePermissions(file, AtomicFiles.OWNER_ONLY);
            }
            try (var reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
                return KeyPairUtils.readKeyPair(reader);
            } catch (IOException e) {
                throw new IOException(file + ": not a PEM key pair: " + e.getMessage(), e);
            }
        }
        KeyPair key = KeyPairUtils.createECKeyPair("secp384r1");
        StringWriter pem = new StringWriter();
        KeyPairUtils.writeKeyPair(key, pem);
        AtomicFiles.write(file, pem.toString().getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
        return key;
    }

    /** A new key for a certificate, of {@code type} as {@code certificates.keyType} names it. */
    static KeyPair newCertificateKey(String type) {
        return switch (type) {
            case "ec-p256" -> KeyPairUtils.createECKeyPair("secp256r1");
            case "ec-p384" -> KeyPairUtils.createECKeyPair("secp384r1");
            case "rsa-2048" -> KeyPairUtils.createKeyPair(2048);
            case "rsa-4096" -> KeyPairUtils.createKeyPair(4096);
            default -> throw new IllegalArgumentException("unknown key type " + type);
        };
    }
}
