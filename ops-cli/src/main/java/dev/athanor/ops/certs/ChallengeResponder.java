package dev.athanor.ops.certs;

import java.io.IOException;

/**
 * Answers HTTP-01 challenges: makes {@code /.well-known/acme-challenge/TOKEN} answer with the key authorization while
 * the CA validates, and takes it away after.
 */
interface ChallengeResponder extends AutoCloseable {

    String PATH = "/.well-known/acme-challenge/";

    /** Checks that answers can be published at all, before anything is ordered. */
    void checkReady() throws TargetNotWritableException;

    void publish(String token, String content) throws IOException;

    void withdraw(String token) throws IOException;

    @Override
    void close() throws IOException;
}
