package dev.athanor.accounts;

import jakarta.ws.rs.ServiceUnavailableException;

/**
 * Every password-hashing slot is taken and the queue for them is full: the request is answered 503 with Retry-After
 * (the site's error page) instead of holding more hashes in memory. An expected state under a burst, not a bug.
 */
final class PasswordsBusy extends ServiceUnavailableException {

    /** Seconds a client is asked to wait before trying again. */
    static final long RETRY_AFTER_SECONDS = 2;

    PasswordsBusy() {
        super("Too many sign-ins at once; try again in a moment.", RETRY_AFTER_SECONDS);
    }
}
