package dev.athanor.testing;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * An authenticator app for tests: RFC 6238 codes (HMAC-SHA1, 30 seconds, 6 digits) from the key the enrolment page
 * shows, written here apart from the site's own code so that each checks the other.
 */
public final class Authenticator {

    private Authenticator() {
    }

    /** The key as the enrolment page shows it ({@code ABCD EFGH ...}), as bytes. */
    public static byte[] secret(String shownKey) {
        return new Base32().decode(shownKey.replace(" ", ""));
    }

    public static String code(byte[] secret) {
        return code(secret, Instant.now());
    }

    public static String code(byte[] secret, Instant at) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(at.getEpochSecond() / 30).array());
            int offset = hash[hash.length - 1] & 0xf;
            int binary = (hash[offset] & 0x7f) << 24 | (hash[offset + 1] & 0xff) << 16
                    | (hash[offset + 2] & 0xff) << 8 | hash[offset + 3] & 0xff;
            return String.format("%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
