package dev.athanor.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Authenticator;
import dev.athanor.testing.Browser;
import dev.athanor.testing.Operators;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two-factor sign-in through the real site and PostgreSQL: a learner turns it on and off from the account page;
 * then a password (or a mailed link) alone starts no session, a code from the authenticator or a recovery code
 * does, each once; wrong codes are throttled; and an operator without it is sent to enrol and kept out of /admin
 * until it is on.
 */
class TwoFactorTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final String PASSWORD = "plum tree in the orchard";
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    @Test
    void aLearnerTurnsItOnWithACodeAndOffWithPasswordAndCode() {
        String email = signedUp();
        Browser browser = browser();
        signIn(browser, email);
        assertThat(browser.get("/account").body()).contains("Two-factor sign-in", "href=\"/account/two-factor\"");
        HttpResponse<String> off = browser.get("/account/two-factor");
        assertThat(off.statusCode()).isEqualTo(200);
        assertThat(off.body()).contains("Set up an authenticator app").doesNotContain("totp-key");

        assertThat(browser.post("/account/two-factor/start").statusCode()).isEqualTo(303);
        HttpResponse<String> enrolling = browser.get("/account/two-factor");
        assertThat(enrolling.body()).contains("<img class=\"qr-code\" src=\"data:image/svg+xml;base64,",
                "class=\"totp-key\"", "autocomplete=\"one-time-code\"", "inputmode=\"numeric\"",
                "<label for=\"code\">", "name=\"csrf\"");
        Matcher qr = Pattern.compile("src=\"data:image/svg\\+xml;base64,([^\"]+)\"")
                .matcher(enrolling.body());
        assertThat(qr.find()).isTrue();
        assertThat(new String(Base64.getDecoder().decode(qr.group(1).replace("&#61;", "=")),
                StandardCharsets.UTF_8)).startsWith("<svg ").contains("<path ");
        HttpResponse<String> wrong = browser.post("/account/two-factor/confirm", "code", "000000");
        assertThat(wrong.statusCode()).isEqualTo(422);
        assertThat(wrong.body()).contains("That code is not right");
        assertThat(browser.get("/account").body()).contains("off");

        List<String> recovery = Operators.enrol(browser, DATABASE, email);
        assertThat(recovery).hasSize(10);
        assertThat(browser.get("/account").body()).contains("Unused recovery codes: 10");

        browser.post("/logout");
        Browser again = browser();
        HttpResponse<String> password = again.post("/login", "email", email, "password", PASSWORD);
        assertThat(password.statusCode()).isEqualTo(303);
        assertThat(password.headers().firstValue("Location")).hasValueSatisfying(location ->
                assertThat(location).endsWith("/login/code?next=%2Faccount"));
        assertThat(again.cookie("session")).as("the password alone starts no session").isEmpty();
        assertThat(again.get("/account").statusCode()).isEqualTo(303);
        HttpResponse<String> codePage = again.get("/login/code?next=%2Faccount");
        assertThat(codePage.statusCode()).isEqualTo(200);
        assertThat(codePage.body()).contains("autocomplete=\"one-time-code\"", "inputmode=\"numeric\"",
                "<label for=\"code\">", "name=\"csrf\"", "Use a recovery code");
        assertThat(again.post("/login/code", "code", "123456", "next", "/account").statusCode()).isEqualTo(401);
        assertThat(again.cookie("session")).isEmpty();
        Operators.allowCodeReuse(DATABASE, email);
        HttpResponse<String> coded = again.post("/login/code", "code", code(email), "next", "/account");
        assertThat(coded.statusCode()).isEqualTo(303);
        assertThat(coded.headers().firstValue("Location")).hasValueSatisfying(location ->
                assertThat(location).endsWith("/account"));
        assertThat(again.cookie("session")).isPresent();
        assertThat(again.cookie("sign-in")).as("the pending sign-in's cookie goes").isEmpty();
        assertThat(again.get("/account").statusCode()).isEqualTo(200);

        Operators.allowCodeReuse(DATABASE, email);
        HttpResponse<String> wrongPassword = again.post("/account/two-factor/disable", "current", "not it at all",
                "code", code(email));
        assertThat(wrongPassword.statusCode()).isEqualTo(422);
        assertThat(wrongPassword.body()).contains("That password or code is not right");
        HttpResponse<String> disabled = again.post("/account/two-factor/disable", "current", PASSWORD, "code",
                code(email));
        assertThat(disabled.statusCode()).isEqualTo(303);
        assertThat(again.get("/account/two-factor?notice=off").body()).contains("Two-factor sign-in is off.");
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM recovery_code r JOIN learner l ON l.id = r.learner_id"
                + " WHERE l.email = ?", email)).isZero();
        Browser plain = browser();
        signIn(plain, email);
        assertThat(plain.cookie("session")).isPresent();
    }

    @Test
    void aCodeWorksOnceEvenWithinItsWindow() {
        String email = enrolledLearner();
        Browser first = browser();
        assertThat(first.post("/login", "email", email, "password", PASSWORD).statusCode()).isEqualTo(303);
        Operators.allowCodeReuse(DATABASE, email);
        String code = code(email);
        assertThat(first.post("/login/code", "code", code).statusCode()).isEqualTo(303);

        Browser second = browser();
        assertThat(second.post("/login", "email", email, "password", PASSWORD).statusCode()).isEqualTo(303);
        HttpResponse<String> replayed = second.post("/login/code", "code", code);
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(replayed.body()).contains("each code works once");
        assertThat(second.cookie("session")).isEmpty();
    }

    @Test
    void aRecoveryCodeSignsInOnceAndNewCodesReplaceTheOld() {
        String email = signedUp();
        Browser owner = browser();
        signIn(owner, email);
        List<String> recovery = Operators.enrol(owner, DATABASE, email);

        Browser lostPhone = browser();
        lostPhone.post("/login", "email", email, "password", PASSWORD);
        HttpResponse<String> recovered = lostPhone.post("/login/code", "code", recovery.get(0).toUpperCase(),
                "kind", "recovery");
        assertThat(recovered.statusCode()).isEqualTo(303);
        assertThat(lostPhone.get("/account").body()).contains("Unused recovery codes: 9");

        Browser again = browser();
        again.post("/login", "email", email, "password", PASSWORD);
        HttpResponse<String> reused = again.post("/login/code", "code", recovery.get(0), "kind", "recovery");
        assertThat(reused.statusCode()).isEqualTo(401);
        assertThat(reused.body()).contains("That recovery code is not right, or was used already.");

        Operators.allowCodeReuse(DATABASE, email);
        HttpResponse<String> renewed = owner.post("/account/two-factor/recovery-codes", "code", code(email));
        assertThat(renewed.statusCode()).isEqualTo(200);
        assertThat(renewed.body()).contains("Your recovery codes").doesNotContain(recovery.get(1));
        assertThat(again.post("/login/code", "code", recovery.get(1), "kind", "recovery").statusCode())
                .as("an old code, after new ones were made").isEqualTo(401);
    }

    @Test
    void wrongCodesAreThrottledPerAccount() {
        String email = enrolledLearner();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Browser guesser = browser();
            guesser.post("/login", "email", email, "password", PASSWORD);
            statuses.add(guesser.post("/login/code", "code", String.format("%06d", i)).statusCode());
            statuses.add(guesser.post("/login/code", "code", String.format("%06d", 100 + i)).statusCode());
        }
        assertThat(statuses.subList(0, 6)).containsOnly(401);
        assertThat(statuses.subList(6, 8)).containsOnly(429);

        Browser owner = browser();
        owner.post("/login", "email", email, "password", PASSWORD);
        Operators.allowCodeReuse(DATABASE, email);
        HttpResponse<String> throttled = owner.post("/login/code", "code", code(email));
        assertThat(throttled.statusCode()).as("even the right code waits").isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 900L));
        assertThat(throttled.body()).contains("Too many codes tried");
        assertThat(owner.cookie("session")).isEmpty();
    }

    @Test
    void codesFromOneAddressAreThrottledWhateverTheAccounts() {
        // Five tries at each of four accounts stay under the per-account limit (6) and reach the per-address one
        // (20): the next try from that address is refused, even the right code for a fifth account.
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            accounts.add(enrolledLearner());
        }
        String address = "203.0.113." + (100 + ADDRESSES.incrementAndGet() % 100);
        List<Integer> statuses = new ArrayList<>();
        for (String email : accounts.subList(0, 4)) {
            Browser guesser = browser().from(address);
            assertThat(guesser.post("/login", "email", email, "password", PASSWORD).statusCode()).isEqualTo(303);
            for (int i = 0; i < 5; i++) {
                statuses.add(guesser.post("/login/code", "code", String.format("%06d", i)).statusCode());
            }
        }
        assertThat(statuses).as("20 tries from one address").hasSize(20).containsOnly(401);

        String fifth = accounts.get(4);
        Browser sameAddress = browser().from(address);
        assertThat(sameAddress.post("/login", "email", fifth, "password", PASSWORD).statusCode()).isEqualTo(303);
        Operators.allowCodeReuse(DATABASE, fifth);
        HttpResponse<String> throttled = sameAddress.post("/login/code", "code", code(fifth));
        assertThat(throttled.statusCode()).as("the 21st try from the address, the right code").isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 600L));
        assertThat(throttled.body()).contains("Too many codes tried");
        assertThat(sameAddress.cookie("session")).isEmpty();

        Browser elsewhere = browser();
        assertThat(elsewhere.post("/login", "email", fifth, "password", PASSWORD).statusCode()).isEqualTo(303);
        Operators.allowCodeReuse(DATABASE, fifth);
        assertThat(elsewhere.post("/login/code", "code", code(fifth)).statusCode())
                .as("the same account from another address").isEqualTo(303);
        assertThat(elsewhere.cookie("session")).isPresent();
    }

    @Test
    void recoveryCodesAreShownOnceAndOnNoLaterPage() {
        String email = signedUp();
        Browser owner = browser();
        signIn(owner, email);
        List<String> recovery = Operators.enrol(owner, DATABASE, email);
        assertThat(recovery).as("shown in the answer to the confirmation").hasSize(10);
        assertNotShownAgain(owner, recovery);

        Operators.allowCodeReuse(DATABASE, email);
        HttpResponse<String> renewed = owner.post("/account/two-factor/recovery-codes", "code", code(email));
        assertThat(renewed.statusCode()).isEqualTo(200);
        List<String> renewedCodes = new ArrayList<>();
        Matcher shown = Pattern.compile("<li><code>([a-z2-7-]+)</code></li>").matcher(renewed.body());
        while (shown.find()) {
            renewedCodes.add(shown.group(1));
        }
        assertThat(renewedCodes).as("new codes shown in the answer").hasSize(10).doesNotContainAnyElementsOf(recovery);
        assertNotShownAgain(owner, renewedCodes);

        Browser elsewhere = browser();
        elsewhere.post("/login", "email", email, "password", PASSWORD);
        assertThat(elsewhere.post("/login/code", "code", renewedCodes.get(0), "kind", "recovery").statusCode())
                .isEqualTo(303);
        assertNotShownAgain(elsewhere, renewedCodes);
    }

    /** No page the signed-in {@code browser} opens later shows any of {@code codes}. */
    private static void assertNotShownAgain(Browser browser, List<String> codes) {
        for (String path : List.of("/account/two-factor", "/account", "/account/two-factor?notice=on",
                "/account/two-factor/recovery-codes", "/", "/login/code")) {
            String body = browser.get(path).body();
            assertThat(body).as(path).doesNotContain("Your recovery codes", "class=\"recovery-codes\"");
            for (String code : codes) {
                assertThat(body).as(path).doesNotContain(code);
            }
        }
        assertThat(browser.get("/account/two-factor").body()).as("the count is all that remains")
                .contains("Unused recovery codes:");
    }

    @Test
    void aMailedLinkOrAResetAlsoAsksForTheCodeAndAPendingSignInExpires() {
        String email = enrolledLearner();
        Browser browser = browser();
        assertThat(browser.post("/login/link", "email", email).statusCode()).isEqualTo(200);
        HttpResponse<String> linked = browser.post(mailedLink(email, "login-link", "/login/link/"));
        assertThat(linked.statusCode()).isEqualTo(303);
        assertThat(linked.headers().firstValue("Location")).hasValueSatisfying(location ->
                assertThat(location).contains("/login/code"));
        assertThat(browser.cookie("session")).isEmpty();

        DATABASE.execute("UPDATE pending_sign_in SET expires_at = now() - interval '1 second'");
        Operators.allowCodeReuse(DATABASE, email);
        HttpResponse<String> late = browser.post("/login/code", "code", code(email));
        assertThat(late.statusCode()).isEqualTo(401);
        assertThat(late.body()).contains("Signing in took too long");
        assertThat(browser.cookie("session")).isEmpty();
        assertThat(browser().get("/login/code").body()).as("without a pending sign-in").contains("took too long");

        Browser resetting = browser();
        resetting.post("/reset", "email", email);
        HttpResponse<String> reset = resetting.post(mailedLink(email, "reset", "/reset/"), "password",
                "a brand new passphrase");
        assertThat(reset.statusCode()).isEqualTo(303);
        assertThat(reset.headers().firstValue("Location")).hasValueSatisfying(location ->
                assertThat(location).contains("/login/code"));
        assertThat(resetting.cookie("session")).isEmpty();
        Operators.allowCodeReuse(DATABASE, email);
        assertThat(resetting.post("/login/code", "code", code(email), "next", "/account?notice=password")
                .statusCode()).isEqualTo(303);
        assertThat(resetting.get("/account").statusCode()).isEqualTo(200);
    }

    @Test
    void anOperatorWithoutASecondFactorIsSentToEnrolAndKeptOutOfAdminUntilItIsOn() {
        String email = "operator-" + ADDRESSES.incrementAndGet() + "@example.com";
        assertThat(((TestSite) SITE.getApplication()).accounts().createOperator(email, PASSWORD)).isEmpty();
        Browser operator = browser();
        HttpResponse<String> signedIn = operator.post("/login", "email", email, "password", PASSWORD, "next",
                "/admin");
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(location ->
                assertThat(location).endsWith("/account/two-factor"));
        assertThat(operator.get("/admin").statusCode()).isEqualTo(404);
        assertThat(operator.get("/admin/members").statusCode()).isEqualTo(404);
        assertThat(operator.get("/account/two-factor").body()).contains("Operator accounts sign in with a second"
                + " factor");
        assertThat(operator.get("/account").body()).doesNotContain("href=\"/admin\"");

        assertThat(operator.post("/account/two-factor/start").statusCode()).isEqualTo(303);
        assertThat(operator.get("/admin").statusCode()).as("enrolment begun is not enough").isEqualTo(404);
        assertThat(operator.post("/account/two-factor/start").statusCode()).isEqualTo(303);
        List<String> recovery = Operators.enrol(operator, DATABASE, email);
        assertThat(recovery).hasSize(10);
        assertThat(operator.get("/admin").statusCode()).isEqualTo(200);

        Browser later = browser();
        Operators.signIn(later, DATABASE, email, PASSWORD);
        assertThat(later.get("/admin").statusCode()).isEqualTo(200);
    }

    private static String enrolledLearner() {
        String email = signedUp();
        Browser browser = browser();
        signIn(browser, email);
        Operators.enrol(browser, DATABASE, email);
        return email;
    }

    private static String code(String email) {
        return Authenticator.code(Operators.secret(DATABASE, email), Instant.now());
    }

    private static String mailedLink(String email, String template, String path) {
        return DATABASE.value("SELECT substring(text_body FROM ?) FROM outbox WHERE recipient = ? AND template = ?"
                + " ORDER BY id DESC LIMIT 1", path + "[A-Za-z0-9_-]{43}", email, template);
    }

    private static String signedUp() {
        String email = "two-factor" + ADDRESSES.incrementAndGet() + "-" + System.nanoTime() % 100000
                + "@example.com";
        assertThat(browser().post("/signup", "email", email, "password", PASSWORD).statusCode()).isEqualTo(200);
        return email;
    }

    private static void signIn(Browser browser, String email) {
        HttpResponse<String> response = browser.post("/login", "email", email, "password", PASSWORD);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
    }

    private static Browser browser() {
        return Browser.at("http://127.0.0.1:" + SITE.getLocalPort());
    }
}
