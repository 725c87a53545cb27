package dev.athanor.accounts;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The {@code accounts} section.
 *
 * <ul>
 *   <li>{@code sessionIdleTimeout}: a session unused this long ends (default 30 days).
 *   <li>{@code sessionAbsoluteTimeout}: a session ends this long after sign-in whatever happens (default 90 days).
 *   <li>{@code secret}: the key that two-factor (authenticator) secrets are encrypted under, from
 *       {@code ATHANOR_SECRET}; when empty, a random key is kept in {@code storage.dataDirectory}/secret.key (set it
 *       on every node of a multi-node site). Changing it makes every enrolled authenticator unreadable: its owners
 *       then need {@code ops users reset-2fa} and enrol again.
 * </ul>
 */
public class AccountsFactory {

    @NotNull
    @JsonProperty
    private Duration sessionIdleTimeout = Duration.days(30);

    @NotNull
    @JsonProperty
    private Duration sessionAbsoluteTimeout = Duration.days(90);

    @JsonProperty
    @Pattern(regexp = "|.{32,}", message = "must be empty or at least 32 characters")
    private String secret = "";

    public java.time.Duration idleTimeout() {
        return java.time.Duration.ofMillis(sessionIdleTimeout.toMilliseconds());
    }

    public java.time.Duration absoluteTimeout() {
        return java.time.Duration.ofMillis(sessionAbsoluteTimeout.toMilliseconds());
    }

    /**
     * The key: the configured secret, or the one kept in {@code dataDirectory}/secret.key (created with mode 0600 on
     * first use; two processes starting together agree on one).
     */
    public byte[] secret(Path dataDirectory) throws IOException {
        if (secret != null && !secret.isBlank()) {
            return secret.getBytes(StandardCharsets.UTF_8);
        }
        Path file = dataDirectory.resolve("secret.key");
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(dataDirectory);
            Path temporary = Files.createTempFile(dataDirectory, "secret", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, Base64.getEncoder().encodeToString(key) + "\n");
            try {
                Files.createLink(file, temporary); // fails, rather than replaces, when another process was first
            } catch (FileAlreadyExistsException raced) {
                // the other process's key stands
            } finally {
                Files.delete(temporary);
            }
        }
        return Base64.getDecoder().decode(Files.readString(file).strip());
    }
}
