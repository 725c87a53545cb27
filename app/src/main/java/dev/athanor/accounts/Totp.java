package dev.athanor.accounts;

import com.eatthepath.otp.HmacOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA1 of the number of 30-second
 * steps since the epoch (RFC 4226's HOTP with the step as counter), 6 digits. A code is accepted for the current
 * step and one step either side, for clocks a little off; the caller remembers the step it was accepted for, so a
 * code works once.
 */
final class Totp {

    static final Duration STEP = Duration.ofSeconds(30);
    static final int DIGITS = 6;
    /** Secrets are 160 bits, the length of an HMAC-SHA1 output (RFC 4226 section 4). */
    static final int SECRET_BYTES = 20;

    private final HmacOneTimePasswordGenerator generator;
    private final int digits;

    Totp() {
        this(DIGITS);
    }

    /** With another number of digits: only for checking RFC 6238's test vectors, which have eight. */
    Totp(int digits) {
        this.generator = new HmacOneTimePasswordGenerator(digits);
        this.digits = digits;
    }

    /** The time step {@code at} falls in. */
    static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP.toSeconds());
    }

    /** The code for {@code step}, with its leading zeros. */
    String code(byte[] secret, long step) {
        try {
            return generator.generateOneTimePasswordString(new SecretKeySpec(secret, "HmacSHA1"), step, Locale.ROOT);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not a usable TOTP secret", e);
        }
    }

    /** The step (the one {@code now} falls in, or one either side) whose code {@code typed} is; empty when none. */
    OptionalLong match(byte[] secret, String typed, Instant now) {
        String code = typed == null ? "" : typed.replace(" ", "");
        if (code.length() != digits || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        long current = step(now);
        long found = Long.MIN_VALUE;
        for (long step = current - 1; step <= current + 1; step++) {
            if (MessageDigest.isEqual(code(secret, step).getBytes(), code.getBytes())) {
                found = step; // no early return: every answer costs three HMACs
            }
        }
        return found == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(found);
    }
}
