package dev.athanor.admin;

import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Lets the operator in: HTTP Basic credentials ({@code operator} and the configured password), compared in constant
 * time. With no password configured the operator pages answer 404, as if they did not exist.
 */
final class OperatorGate {

    static final String USER = "operator";
    private static final String CHALLENGE = "Basic realm=\"Athanor operator\", charset=\"UTF-8\"";

    private final Optional<byte[]> expected;

    OperatorGate(Optional<String> password) {
        this.expected = password.map(secret -> digest(USER + ":" + secret));
    }

    /** Returns normally for the operator; throws 404 when the pages are off and 401 for anyone else. */
    void check(String authorization) {
        if (expected.isEmpty()) {
            throw new NotFoundException();
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new NotAuthorizedException("operator password needed", CHALLENGE);
        }
        byte[] given;
        try {
            given = digest(new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new NotAuthorizedException("malformed credentials", CHALLENGE);
        }
        if (!MessageDigest.isEqual(given, expected.get())) {
            throw new NotAuthorizedException("wrong operator password", CHALLENGE);
        }
    }

    private static byte[] digest(String text) {
        return dev.athanor.platform.Sha256.digest().digest(text.getBytes(StandardCharsets.UTF_8));
    }
}
