package dev.athanor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signing in with two-factor sign-in as a browser does: the password, then a code from the {@link Authenticator}
 * (enrolling it first when the account has none, as every operator must). Tests sign in more often than every 30
 * seconds, and a code works once per step, so before typing a code this forgets the last step used (the refusal of
 * a reused code has tests of its own).
 */
public final class Operators {

    private static final Pattern KEY = Pattern.compile("<code class=\"totp-key\">([A-Z2-7 ]+)</code>");
    private static final Pattern RECOVERY_CODE = Pattern.compile("<li><code>([a-z2-7-]+)</code></li>");
    private static final Map<String, byte[]> SECRETS = new ConcurrentHashMap<>();

    private Operators() {
    }

    /** Signs {@code browser} in as {@code email}, enrolling an authenticator first when the site asks for one. */
    public static void signIn(Browser browser, TestDatabase database, String email, String password) {
        HttpResponse<String> login = browser.post("/login", "email", email, "password", password);
        assertThat(login.statusCode()).as("sign in as %s: %s", email, login.body()).isEqualTo(303);
        String location = login.headers().firstValue("Location").orElseThrow();
        if (location.contains("/login/code")) {
            byte[] secret = SECRETS.get(key(database, email));
            assertThat(secret).as("an authenticator enrolled by these tests for %s", email).isNotNull();
            allowCodeReuse(database, email);
            HttpResponse<String> coded = browser.post("/login/code", "code", Authenticator.code(secret));
            assertThat(coded.statusCode()).as("the code for %s: %s", email, coded.body()).isEqualTo(303);
        } else if (location.endsWith("/account/two-factor")) {
            enrol(browser, database, email);
        }
    }

    /** Enrols an authenticator for the signed-in {@code browser}; returns the recovery codes shown. */
    public static List<String> enrol(Browser browser, TestDatabase database, String email) {
        assertThat(browser.post("/account/two-factor/start").statusCode()).isEqualTo(303);
        Matcher key = KEY.matcher(browser.get("/account/two-factor").body());
        assertThat(key.find()).as("the enrolment page shows the key").isTrue();
        byte[] secret = Authenticator.secret(key.group(1));
        HttpResponse<String> confirmed = browser.post("/account/two-factor/confirm", "code",
                Authenticator.code(secret));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        SECRETS.put(key(database, email), secret);
        List<String> codes = new ArrayList<>();
        Matcher code = RECOVERY_CODE.matcher(confirmed.body());
        while (code.find()) {
            codes.add(code.group(1));
        }
        return codes;
    }

    /** The authenticator secret these tests enrolled for {@code email}. */
    public static byte[] secret(TestDatabase database, String email) {
        return SECRETS.get(key(database, email));
    }

    /** Lets the current step's code be typed again for {@code email} (see the class comment). */
    public static void allowCodeReuse(TestDatabase database, String email) {
        database.execute("UPDATE second_factor SET totp_last_step = NULL WHERE learner_id = (SELECT id FROM learner"
                + " WHERE email = ?)", email);
    }

    private static String key(TestDatabase database, String email) {
        return database.jdbcUrl() + " " + email.toLowerCase(java.util.Locale.ROOT);
    }
}
