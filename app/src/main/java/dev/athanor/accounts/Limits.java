package dev.athanor.accounts;

import java.time.Duration;

/** How many attempts a client or an account may make before it must wait. */
final class Limits {

    /** Wrong passwords from one client address, whatever the accounts. */
    static final Throttle.Limit SIGN_IN_PER_CLIENT = new Throttle.Limit(20, Duration.ofMinutes(10));
    /** Wrong passwords for one account from browsers it has not signed in on before. */
    static final Throttle.Limit SIGN_IN_PER_ACCOUNT = new Throttle.Limit(8, Duration.ofMinutes(15));
    /** Reset and sign-in links asked for from one client address. */
    static final Throttle.Limit MAILED_LINKS_PER_CLIENT = new Throttle.Limit(6, Duration.ofMinutes(15));
    /** Mails (links, sign-up notes) sent to one address, whoever asks. */
    static final Throttle.Limit MAILS_PER_ADDRESS = new Throttle.Limit(5, Duration.ofMinutes(30));
    /** Two-factor codes (and recovery codes) tried for one account, right or wrong, whatever the browser. */
    static final Throttle.Limit CODES_PER_ACCOUNT = new Throttle.Limit(6, Duration.ofMinutes(15));
    /** Two-factor codes tried from one client address, whatever the accounts. */
    static final Throttle.Limit CODES_PER_CLIENT = new Throttle.Limit(20, Duration.ofMinutes(10));
    /** Sign-ups from one client address. */
    static final Throttle.Limit SIGN_UPS_PER_CLIENT = new Throttle.Limit(5, Duration.ofHours(1));

    /** Longer than any window above: attempts older than this count for nothing and are deleted. */
    static final Duration FORGOTTEN_AFTER = Duration.ofHours(2);

    private Limits() {
    }
}
