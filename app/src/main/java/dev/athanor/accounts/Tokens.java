package dev.athanor.accounts;

import dev.athanor.platform.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random secrets for cookies and links: 256 bits, URL-safe, and only their SHA-256 is ever stored, so a copy of the
 * database cannot be replayed as a session or a link.
 */
final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String token) {
        return Sha256.digest().digest(token.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether {@code text} could be one of our tokens (and so is worth a database lookup). */
    static boolean plausible(String text) {
        return text != null && text.length() == 43 && text.matches("[A-Za-z0-9_-]+");
    }
}
