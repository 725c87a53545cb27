package dev.athanor.ops.certs;

import dev.athanor.monitoring.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes challenge answers as files under {@code webroot/.well-known/acme-challenge/}, which nginx serves (the
 * default): nothing else needs port 80.
 */
final class WebrootResponder implements ChallengeResponder {

    private final Path challenges;

    WebrootResponder(Path webroot) {
        this.challenges = webroot.resolve(".well-known/acme-challenge");
    }

    @Override
    public void checkReady() throws TargetNotWritableException {
        try {
            Files.createDirectories(challenges);
            Files.delete(Files.createTempFile(challenges, ".write-test", ".tmp"));
        } catch (IOException e) {
            throw new TargetNotWritableException(challenges, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Override
    public void publish(String token, String content) throws IOException {
        AtomicFiles.write(file(token), content.getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC);
    }

    @Override
    public void withdraw(String token) throws IOException {
        Files.deleteIfExists(file(token));
    }

    @Override
    public void close() {
    }

    private Path file(String token) {
        if (!token.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("not an ACME token: " + token);
        }
        return challenges.resolve(token);
    }
}
