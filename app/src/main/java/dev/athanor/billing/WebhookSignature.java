package dev.athanor.billing;

import dev.athanor.common.Durations;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks Stripe's {@code Stripe-Signature} header against the raw request bytes, before anything reads them: the
 * header is {@code t=UNIX_SECONDS,v1=HEX[,v1=HEX...]} and each v1 is HMAC-SHA256 over {@code t + "." + body} with
 * the endpoint's signing secret. Every way the header can be wrong (missing, malformed, no v1, wrong signature,
 * outside the tolerance) is a {@link Invalid} with a reason, never another exception. (stripe-java's own check
 * parses the body before verifying it and throws unchecked exceptions on some malformed headers, so it is not
 * used.)
 */
final class WebhookSignature {

    /** Why a signature was refused. */
    static final class Invalid extends Exception {
        Invalid(String reason) {
            super(reason);
        }
    }

    private final byte[] secret;
    private final Duration tolerance;
    private final Clock clock;

    WebhookSignature(String secret, Duration tolerance, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /** Whether there is a secret to check against (without one, no delivery can be verified). */
    boolean isConfigured() {
        return secret.length > 0;
    }

    void verify(byte[] body, String header) throws Invalid {
        if (!isConfigured()) {
            throw new IllegalStateException("no webhook signing secret; ask isConfigured() first");
        }
        if (header == null || header.isBlank()) {
            throw new Invalid("no Stripe-Signature header");
        }
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String item : header.split(",")) {
            int equals = item.indexOf('=');
            if (equals < 1) {
                throw new Invalid("malformed Stripe-Signature item '" + abbreviate(item) + "'");
            }
            String key = item.substring(0, equals).strip();
            String value = item.substring(equals + 1).strip();
            if (key.equals("t")) {
                if (timestamp != null || !value.matches("\\d{1,12}")) {
                    throw new Invalid("malformed timestamp in Stripe-Signature");
                }
                timestamp = Long.parseLong(value);
            } else if (key.equals("v1")) {
                if (!value.matches("[0-9a-fA-F]{64}")) {
                    throw new Invalid("malformed v1 signature in Stripe-Signature");
                }
                signatures.add(HexFormat.of().parseHex(value));
            }
        }
        if (timestamp == null) {
            throw new Invalid("no timestamp in Stripe-Signature");
        }
        if (signatures.isEmpty()) {
            throw new Invalid("no v1 signature in Stripe-Signature");
        }
        byte[] expected = sign(timestamp, body);
        if (signatures.stream().noneMatch(signature -> MessageDigest.isEqual(signature, expected))) {
            throw new Invalid("signature does not match the body");
        }
        long age = clock.instant().getEpochSecond() - timestamp;
        if (Math.abs(age) > tolerance.toSeconds()) {
            throw new Invalid("signature timestamp is " + age + " s from now, outside the tolerance of "
                    + Durations.human(tolerance));
        }
    }

    private byte[] sign(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }
}
