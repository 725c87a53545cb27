package dev.athanor.accounts;

import java.util.Locale;
import java.util.regex.Pattern;

/** Email addresses as accounts keep them: trimmed and lower-case, and roughly the shape of an address. */
final class EmailAddresses {

    /** What the forms say about an address that is not one. */
    static final String NOT_AN_ADDRESS = "Enter an email address such as name@example.com.";

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}");

    private EmailAddresses() {
    }

    static String normalize(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }

    /** Whether a normalized address looks like one (whether mail reaches it, only a link sent to it tells). */
    static boolean plausible(String address) {
        return EMAIL.matcher(address).matches();
    }
}
