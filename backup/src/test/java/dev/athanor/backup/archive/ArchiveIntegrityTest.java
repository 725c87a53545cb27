package dev.athanor.backup.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive is what its manifest says or nothing: the verifying stream never hands over the end of a damaged
 * archive, and age encryption fails on any changed byte; the age CLI decrypts what we encrypt (the disaster-recovery
 * path without Athanor).
 */
class ArchiveIntegrityTest {

    @TempDir
    Path temp;

    @Test
    void anIntactArchivePassesThroughWhole() throws Exception {
        byte[] archive = random(3 * VerifyingInputStream.HELD_BACK + 17);

        byte[] read = new VerifyingInputStream(new ByteArrayInputStream(archive), "a", sha256(archive),
                archive.length).readAllBytes();

        assertThat(read).isEqualTo(archive);
    }

    @Test
    void aFlippedByteStopsTheStreamBeforeItsEnd() throws Exception {
        byte[] archive = random(3 * VerifyingInputStream.HELD_BACK + 17);
        String checksum = sha256(archive);
        archive[archive.length / 2] ^= 0x01;
        ByteArrayOutputStream downstream = new ByteArrayOutputStream();

        assertThatThrownBy(() -> new VerifyingInputStream(new ByteArrayInputStream(archive), "a.dump", checksum,
                archive.length).transferTo(downstream))
                .isInstanceOf(IOException.class).hasCauseInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("a.dump is damaged");
        assertThat(downstream.size()).as("the last bytes are never handed over")
                .isLessThanOrEqualTo(archive.length - VerifyingInputStream.HELD_BACK);
    }

    @Test
    void aTruncatedArchiveIsDamagedToo() {
        byte[] archive = random(10_000);
        byte[] truncated = java.util.Arrays.copyOf(archive, 9_000);

        assertThatThrownBy(() -> new VerifyingInputStream(new ByteArrayInputStream(truncated), "a", sha256(archive),
                archive.length).readAllBytes()).hasCauseInstanceOf(ChecksumMismatchException.class);
    }

    @Test
    void ageEncryptionRoundTripsAndRejectsAChangedByte() throws Exception {
        AgeEncryption age = AgeEncryption.fromKeyFile(keyFile());
        byte[] plain = random(200_000);

        byte[] encrypted = encrypt(age, plain);

        assertThat(new String(encrypted, 0, 21, StandardCharsets.US_ASCII)).isEqualTo("age-encryption.org/v1");
        try (InputStream decrypted = age.decrypt(new ByteArrayInputStream(encrypted))) {
            assertThat(decrypted.readAllBytes()).isEqualTo(plain);
        }
        encrypted[encrypted.length - 1000] ^= 0x01;
        assertThatThrownBy(() -> {
            try (InputStream decrypted = age.decrypt(new ByteArrayInputStream(encrypted))) {
                decrypted.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void theAgeToolDecryptsWhatWeEncrypt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/age")), "age is not installed (./dev test installs it)");
        Path key = keyFile();
        byte[] plain = random(150_000);
        Path encrypted = temp.resolve("archive.dump.age");
        Files.write(encrypted, encrypt(AgeEncryption.fromKeyFile(key), plain));
        Path decrypted = temp.resolve("archive.dump");

        Process age = new ProcessBuilder("age", "--decrypt", "-i", key.toString(), "-o", decrypted.toString(),
                encrypted.toString()).redirectErrorStream(true).start();
        String output = new String(age.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(age.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(age.exitValue()).as(output).isZero();
        assertThat(Files.readAllBytes(decrypted)).isEqualTo(plain);
    }

    @Test
    void aKeyFileWithoutItsPublicKeyIsAClearError() throws Exception {
        Path key = temp.resolve("bad.key");
        Files.writeString(key, "AGE-SECRET-KEY-1QQQ\n");

        assertThatThrownBy(() -> AgeEncryption.fromKeyFile(key)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("is not an age key file").hasMessageContaining("ops backup keygen");
        assertThatThrownBy(() -> AgeEncryption.fromKeyFile(temp.resolve("missing.key")))
                .isInstanceOf(KeyFileException.class).hasMessageContaining("cannot be read");
    }

    private Path keyFile() throws IOException {
        Path key = temp.resolve("backup.key");
        Files.writeString(key, AgeEncryption.newKeyFile());
        return key;
    }

    private static byte[] encrypt(AgeEncryption age, byte[] plain) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = age.encrypt(sink)) {
            out.write(plain);
        }
        return sink.toByteArray();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
