package dev.athanor.backup.archive;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import dev.athanor.backup.BackupException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Client-side encryption of archives in the <a href="https://age-encryption.org/v1">age</a> format, to the X25519
 * recipient of a key file made by {@code ops backup keygen} or {@code age-keygen}. age is a documented, streaming
 * format (a header naming the recipient, then ChaCha20-Poly1305 in 64 KiB chunks, each authenticated), so an
 * encrypted archive decrypts without Athanor: {@code age --decrypt -i KEYFILE ID.dump.age > ID.dump}. A changed byte
 * anywhere fails decryption of its chunk.
 *
 * <p>The key file holds the secret key ({@code AGE-SECRET-KEY-1...}) and, on a comment line, its public key
 * ({@code # public key: age1...}); backups are encrypted to the public key, and restoring needs the secret one.
 */
public final class AgeEncryption {

    /** The scheme name written into manifests. */
    public static final String SCHEME = "age-x25519";

    private static final String PUBLIC_KEY_LINE = "# public key: ";
    private static final String SECRET_KEY_PREFIX = "AGE-SECRET-KEY-1";

    private final String recipient;
    private final String identity;

    private AgeEncryption(String recipient, String identity) {
        this.recipient = recipient;
        this.identity = identity;
    }

    /**
     * Reads a key file.
     *
     * @throws BackupException naming the file when it is missing, unreadable or not an age X25519 key file
     */
    public static AgeEncryption fromKeyFile(Path file) throws BackupException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeyFileException("backup.encryption.keyFile " + file + " cannot be read: " + e.getMessage(), e);
        }
        Optional<String> publicKey = lines.stream().filter(line -> line.startsWith(PUBLIC_KEY_LINE))
                .map(line -> line.substring(PUBLIC_KEY_LINE.length()).strip()).findFirst();
        Optional<String> secretKey = lines.stream().map(String::strip)
                .filter(line -> line.startsWith(SECRET_KEY_PREFIX)).findFirst();
        if (secretKey.isEmpty() || publicKey.isEmpty()) {
            throw new KeyFileException("backup.encryption.keyFile " + file + " is not an age key file: it needs an "
                    + SECRET_KEY_PREFIX + "... line and a \"" + PUBLIC_KEY_LINE + "age1...\" line"
                    + " (make one with ops backup keygen FILE)");
        }
        AgeEncryption encryption = new AgeEncryption(publicKey.get(), secretKey.get());
        encryption.check(file);
        return encryption;
    }

    /** A new key file's text: a fresh X25519 key pair in age-keygen's format. */
    public static String newKeyFile() {
        try {
            KeyPair pair = new X25519KeyPairGenerator().generateKeyPair();
            return "# created: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n"
                    + PUBLIC_KEY_LINE + pair.getPublic() + "\n"
                    + pair.getPrivate() + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this Java", e);
        }
    }

    /** The public key backups are encrypted to ({@code age1...}). */
    public String recipient() {
        return recipient;
    }

    /**
     * Wraps {@code sink} so that what is written to the result reaches it encrypted; closing the result writes the
     * final chunk and closes {@code sink}.
     */
    public OutputStream encrypt(OutputStream sink) throws IOException {
        try {
            RecipientStanzaWriter writer = X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient);
            return Channels.newOutputStream(new StandardEncryptingChannelFactory()
                    .newEncryptingChannel(Channels.newChannel(sink), List.of(writer)));
        } catch (GeneralSecurityException e) {
            throw new IOException("could not start encrypting: " + e.getMessage(), e);
        }
    }

    /** Decrypts {@code source}; reading the result fails on any byte that was changed. */
    public InputStream decrypt(InputStream source) throws IOException {
        try {
            RecipientStanzaReader reader = X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(identity);
            return Channels.newInputStream(new StandardDecryptingChannelFactory()
                    .newDecryptingChannel(Channels.newChannel(source), List.of(reader)));
        } catch (GeneralSecurityException e) {
            throw new IOException("could not decrypt the archive with this key file: " + e.getMessage(), e);
        }
    }

    private void check(Path file) throws BackupException {
        try {
            X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient);
            X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(identity);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeyFileException("backup.encryption.keyFile " + file + " holds an invalid age key: "
                    + e.getMessage(), e);
        }
    }
}
