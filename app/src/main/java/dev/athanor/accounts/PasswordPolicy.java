package dev.athanor.accounts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a password must be (NIST SP 800-63B): at least 8 characters, any length above that accepted in full (never
 * truncated; 1,000 is the ceiling, to bound hashing work), not one of the most common passwords, not the email
 * address, and no rules about character classes.
 */
final class PasswordPolicy {

    static final int MINIMUM = 8;
    static final int MAXIMUM = 1000;

    private final Set<String> common;

    private PasswordPolicy(Set<String> common) {
        this.common = common;
    }

    static PasswordPolicy load() {
        Set<String> common = new HashSet<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                PasswordPolicy.class.getResourceAsStream("common-passwords.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    common.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PasswordPolicy(common);
    }

    /** Why {@code password} is refused for the account {@code email}, or empty when it is fine. */
    Optional<String> problem(String password, String email) {
        int length = password.codePointCount(0, password.length());
        if (length < MINIMUM) {
            return Optional.of("Use at least " + MINIMUM + " characters.");
        }
        if (length > MAXIMUM) {
            return Optional.of("Use at most " + MAXIMUM + " characters.");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (common.contains(lower) || lower.chars().distinct().count() <= 2) {
            return Optional.of("That password is one of the most common ones; choose another.");
        }
        String address = email.toLowerCase(Locale.ROOT);
        String local = address.contains("@") ? address.substring(0, address.indexOf('@')) : address;
        if (lower.equals(address) || lower.equals(local)) {
            return Optional.of("Do not use your email address as your password.");
        }
        return Optional.empty();
    }
}
