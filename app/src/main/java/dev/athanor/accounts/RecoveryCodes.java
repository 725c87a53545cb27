package dev.athanor.accounts;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.codec.binary.Base32;

/**
 * One-time recovery codes, for signing in when the authenticator is lost: ten at a time, each 120 random bits
 * written as 24 Base32 characters in groups of four. At 112 bits or more ASVS 5.0 (6.5.2) allows a plain hash, so
 * only their SHA-256 is stored (as for session tokens) and checking one costs no password hashing.
 */
final class RecoveryCodes {

    static final int COUNT = 10;
    private static final int BYTES = 15;
    private static final int LENGTH = BYTES * 8 / 5;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base32 BASE32 = new Base32();

    private RecoveryCodes() {
    }

    /** {@link #COUNT} new codes, as the learner sees them ({@code abcd-efgh-...}). */
    static List<String> generate() {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            byte[] bytes = new byte[BYTES];
            RANDOM.nextBytes(bytes);
            String plain = BASE32.encodeAsString(bytes).toLowerCase(Locale.ROOT);
            codes.add(String.join("-", plain.split("(?<=\\G.{4})")));
        }
        return codes;
    }

    /**
     * The stored form of what was typed (case, spaces and dashes aside), or empty when it cannot be a recovery code.
     */
    static Optional<byte[]> hash(String typed) {
        String plain = typed == null ? "" : typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        if (plain.length() != LENGTH || !plain.matches("[A-Z2-7]+")) {
            return Optional.empty();
        }
        return Optional.of(Tokens.hash(plain));
    }

    /** The stored form of a code this class generated. */
    static byte[] hashOf(String code) {
        return hash(code).orElseThrow();
    }
}
