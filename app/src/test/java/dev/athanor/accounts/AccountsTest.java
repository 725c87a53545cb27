package dev.athanor.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Browser;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestMail;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import dev.athanor.testing.WithinASecond;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Accounts as a learner meets them, against the real site, PostgreSQL and an SMTP server: signing up and confirming
 * the address from the mail, signing in and out, reset and sign-in links, changes from the account page, and the
 * defences (form tokens, throttling, answers that do not tell whether an address has an account).
 */
class AccountsTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final TestMail MAIL = new TestMail();
    private static final AtomicInteger ADDRESSES = new AtomicInteger();
    private static final String PASSWORD = "plum tree in the orchard";

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE, MAIL.overrides());

    @AfterAll
    static void stopMail() {
        MAIL.close();
    }

    @Test
    void signUpConfirmTheAddressSignInAndOut() {
        String email = newAddress();
        Browser browser = browser();
        assertThat(browser.get("/signup").body()).contains("name=\"csrf\"", "name=\"website\"");

        HttpResponse<String> signedUp = browser.post("/signup", "email", email, "password", PASSWORD);
        assertThat(signedUp.statusCode()).isEqualTo(200);
        assertThat(signedUp.body()).contains("Check your mail");

        String link = TestMail.linkPath(MAIL.latest(email, "Confirm your email address"), "/verify/");
        HttpResponse<String> page = browser.get(link);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Confirm my address");
        assertThat(verified(email)).as("opening the link alone confirms nothing").isFalse();

        assertThat(browser.post(link).body()).contains("Your address is confirmed");
        assertThat(verified(email)).isTrue();
        assertThat(browser.post(link).statusCode()).as("a link works once").isEqualTo(404);
        MAIL.latest(email, "Welcome");

        HttpResponse<String> signedIn = browser.post("/login", "email", email.toUpperCase(), "password", PASSWORD);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/account"));
        assertThat(signedIn.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("session=").contains("HttpOnly", "SameSite=Lax", "Path=/"));
        HttpResponse<String> account = browser.get("/account");
        assertThat(account.statusCode()).isEqualTo(200);
        assertThat(account.body()).contains(email, "confirmed", "Sign out");
        assertThat(account.headers().firstValue("Cache-Control")).hasValue("no-store");

        assertThat(browser.post("/logout").statusCode()).isEqualTo(303);
        assertThat(browser.cookie("session")).isEmpty();
        HttpResponse<String> after = browser.get("/account");
        assertThat(after.statusCode()).isEqualTo(303);
        assertThat(after.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/login?next=%2Faccount"));
    }

    @Test
    void anUnusableNextIsIgnoredAndTheRightPasswordStillSignsIn() {
        String email = signedUpAndConfirmed();
        Browser browser = browser();
        HttpResponse<String> form = browser.get("/login?next=/a%20b");
        assertThat(form.statusCode()).isEqualTo(200);
        java.util.regex.Matcher next = java.util.regex.Pattern.compile("name=\"next\" value=\"([^\"]*)\"")
                .matcher(form.body());
        assertThat(next.find()).as(form.body()).isTrue();

        HttpResponse<String> signedIn = browser.post("/login", "email", email, "password", PASSWORD, "next",
                next.group(1));
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        assertThat(target(signedIn)).isEqualTo("/");
        for (String unusable : List.of("/a b", "//evil.example/", "https://evil.example/", "/\\evil", "/a\nb")) {
            HttpResponse<String> again = browser.post("/login", "email", email, "password", PASSWORD, "next",
                    unusable);
            assertThat(again.statusCode()).as(unusable).isEqualTo(303);
            assertThat(target(again)).as(unusable).isEqualTo("/");
        }
        assertThat(target(browser.post("/login", "email", email, "password", PASSWORD, "next", "/courses?page=2")))
                .isEqualTo("/courses?page=2");
        assertThat(target(browser.post("/login", "email", email, "password", PASSWORD))).isEqualTo("/account");
    }

    @Test
    void theSessionCookieIsNewAtEverySignInAndGoneFromTheDatabaseAtSignOut() {
        String email = signedUpAndConfirmed();
        Browser browser = browser();
        browser.setCookie("session", "planted-by-an-attacker-aaaaaaaaaaaaaaaaaaaaaaa");
        signIn(browser, email, PASSWORD);
        String first = browser.cookie("session").orElseThrow();
        assertThat(first).isNotEqualTo("planted-by-an-attacker-aaaaaaaaaaaaaaaaaaaaaaa").hasSizeGreaterThanOrEqualTo(22);
        signIn(browser, email, PASSWORD);
        assertThat(browser.cookie("session")).hasValueSatisfying(second -> assertThat(second).isNotEqualTo(first));
        assertThat(sessions(email)).as("signing in again ends the session it replaces").isEqualTo(1);

        Browser stolen = browser().userAgent("Replay");
        stolen.setCookie("session", browser.cookie("session").orElseThrow());
        assertThat(stolen.get("/account").statusCode()).isEqualTo(200);
        browser.post("/logout");
        assertThat(sessions(email)).isZero();
        assertThat(stolen.get("/account").statusCode()).as("a signed-out session is gone everywhere").isEqualTo(303);
    }

    @Test
    void wrongPasswordsAndUnknownAddressesGetTheSameAnswer() {
        String email = signedUpAndConfirmed();
        HttpResponse<String> wrong = browser().post("/login", "email", email, "password", "not the password");
        HttpResponse<String> unknown = browser().post("/login", "email", newAddress(), "password", "not the password");
        assertThat(wrong.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(401);
        assertThat(problem(wrong.body())).isEqualTo(problem(unknown.body()))
                .isEqualTo("That email address and password do not match an account.");

        HttpResponse<String> existing = browser().post("/signup", "email", email, "password", PASSWORD);
        String fresh = newAddress();
        HttpResponse<String> created = browser().post("/signup", "email", fresh, "password", PASSWORD);
        assertThat(existing.statusCode()).isEqualTo(created.statusCode()).isEqualTo(200);
        assertThat(withoutTokens(existing.body().replace(email, "X")))
                .isEqualTo(withoutTokens(created.body().replace(fresh, "X")))
                .doesNotContain("already");
        assertThat(TestMail.plainText(MAIL.latest(email, "You already have an account"))).contains("/reset");

        String stranger = newAddress();
        HttpResponse<String> resetKnown = browser().post("/reset", "email", email);
        HttpResponse<String> resetUnknown = browser().post("/reset", "email", stranger);
        assertThat(resetKnown.statusCode()).isEqualTo(resetUnknown.statusCode()).isEqualTo(200);
        assertThat(withoutTokens(resetKnown.body().replace(email, "X")))
                .isEqualTo(withoutTokens(resetUnknown.body().replace(stranger, "X")));
        MAIL.latest(stranger, "About your request");
    }

    @Test
    void signingInTakesAsLongForAnUnknownAddressAsForAWrongPassword() {
        String email = signedUpAndConfirmed();
        Browser known = browser();
        Browser unknown = browser();
        String stranger = newAddress();
        known.post("/login", "email", email, "password", "warm up the hashing");
        List<Long> knownTimes = new ArrayList<>();
        List<Long> unknownTimes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            knownTimes.add(time(() -> known.post("/login", "email", email, "password", "wrong guess " + 1)));
            unknownTimes.add(time(() -> unknown.post("/login", "email", stranger, "password", "wrong guess " + 1)));
        }
        long knownMedian = median(knownTimes);
        long unknownMedian = median(unknownTimes);
        // Both pay for one argon2id hash; without the decoy an unknown address answers several times faster.
        assertThat((double) unknownMedian / knownMedian).isBetween(0.6, 1.6);
    }

    @Test
    void aFormWithoutItsTokenOrFromAnotherSiteIsRefused() {
        String email = signedUpAndConfirmed();
        Browser browser = browser();
        browser.csrf();
        HttpResponse<String> noToken = browser.postWithoutToken("/login", Map.of("email", email, "password",
                PASSWORD));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).doesNotContain("Exception").contains("</html>");
        assertThat(browser.postWithoutToken("/login", Map.of("email", email, "password", PASSWORD, "csrf",
                "A".repeat(43))).statusCode()).isEqualTo(403);
        assertThat(browser.post("/login", Map.of("email", email, "password", PASSWORD))
                .statusCode()).isEqualTo(303);
        assertThat(browser.postWithoutToken("/account/sessions/all", Map.of("csrf", browser.csrf()),
                "Origin", "https://evil.example").statusCode()).isEqualTo(403);
        assertThat(browser.postWithoutToken("/logout", Map.of()).statusCode()).isEqualTo(403);
        assertThat(browser.get("/account").statusCode()).as("still signed in after the refused posts").isEqualTo(200);
    }

    @Test
    void rapidWrongPasswordsAreThrottledWithoutLockingOutTheOwner() {
        String email = signedUpAndConfirmed();
        Browser owner = browser();
        signIn(owner, email, PASSWORD);
        owner.post("/logout");

        Browser attacker = browser();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            statuses.add(attacker.post("/login", "email", email, "password", "guess number " + i).statusCode());
        }
        assertThat(statuses).allSatisfy(status -> assertThat(status).isIn(401, 429));
        assertThat(statuses).contains(429);
        HttpResponse<String> throttled = attacker.post("/login", "email", email, "password", PASSWORD);
        assertThat(throttled.statusCode()).as("even the right password waits").isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 900L));
        assertThat(throttled.body()).contains("Too many attempts");

        HttpResponse<String> ownerAgain = owner.post("/login", "email", email, "password", PASSWORD);
        assertThat(ownerAgain.statusCode()).as("the owner's browser has signed in here before").isEqualTo(303);

        Browser oneAddress = browser();
        List<Integer> spray = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            spray.add(oneAddress.post("/login", "email", newAddress(), "password", "spray " + i).statusCode());
        }
        assertThat(spray).allSatisfy(status -> assertThat(status).isIn(401, 429));
        assertThat(spray.subList(20, 25)).containsOnly(429);
    }

    @Test
    void resetByMailedLinkSetsANewPasswordAndEndsEverySession() {
        String email = signedUpAndConfirmed();
        Browser other = browser();
        signIn(other, email, PASSWORD);

        Browser browser = browser();
        assertThat(browser.post("/reset", "email", email).body()).contains("Check your mail");
        String link = TestMail.linkPath(MAIL.latest(email, "Reset your"), "/reset/");
        assertThat(DATABASE.<Integer>value("SELECT extract(epoch FROM expires_at - created_at)::int FROM one_time_token"
                + " WHERE purpose = 'reset' AND learner_id = (SELECT id FROM learner WHERE email = ?)"
                + " ORDER BY created_at DESC LIMIT 1", email)).isEqualTo(3600);
        assertThat(browser.get(link).body()).contains("Choose a new password");

        HttpResponse<String> weak = browser.post(link, "password", "password1");
        assertThat(weak.statusCode()).isEqualTo(422);
        assertThat(weak.body()).contains("most common");
        HttpResponse<String> done = browser.post(link, "password", "a brand new passphrase");
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(browser.get("/account").statusCode()).isEqualTo(200);
        assertThat(other.get("/account").statusCode()).as("other sessions end").isEqualTo(303);
        assertThat(browser.post(link, "password", "yet another passphrase").statusCode()).isEqualTo(404);
        assertThat(browser().post("/login", "email", email, "password", PASSWORD).statusCode()).isEqualTo(401);
        assertThat(browser().post("/login", "email", email, "password", "a brand new passphrase").statusCode())
                .isEqualTo(303);
    }

    @Test
    void aSignInLinkSignsInOnlyWhenItsButtonIsPressed() {
        String email = signedUpAndConfirmed();
        Browser browser = browser();
        browser.post("/login/link", "email", email);
        String link = TestMail.linkPath(MAIL.latest(email, "sign-in link"), "/login/link/");

        Browser scanner = new Browser(base());
        HttpResponse<String> scanned = scanner.get(link);
        assertThat(scanned.statusCode()).isEqualTo(200);
        assertThat(scanned.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith("session="));

        HttpResponse<String> pressed = browser.post(link);
        assertThat(pressed.statusCode()).isEqualTo(303);
        assertThat(browser.get("/account").body()).contains(email);
        assertThat(browser().post(link).statusCode()).as("used up").isEqualTo(404);
        assertThat(browser().get(link).body()).contains("no longer works");
    }

    @Test
    void passwordsFollowThePolicyAndLongOnesAreNotTruncated() {
        Browser browser = browser();
        assertThat(problem(browser.post("/signup", "email", newAddress(), "password", "short7!").body()))
                .contains("at least 8 characters");
        assertThat(problem(browser.post("/signup", "email", newAddress(), "password", "iloveyou").body()))
                .contains("most common");
        String email = newAddress();
        String longPassword = "x".repeat(60) + " and then some more words to pass a hundred characters in all ok";
        assertThat(browser.post("/signup", "email", email, "password", longPassword).statusCode()).isEqualTo(200);
        confirm(email);
        assertThat(browser().post("/login", "email", email, "password", longPassword.substring(0, 64))
                .statusCode()).isEqualTo(401);
        assertThat(browser().post("/login", "email", email, "password", longPassword).statusCode()).isEqualTo(303);
        assertThat(browser.post("/signup", "email", "not-an-address", "password", PASSWORD).body())
                .contains("Enter an email address");
    }

    @Test
    void aHashWithWeakerParametersIsReplacedAtSignIn() {
        String email = signedUpAndConfirmed();
        String weak = new Passwords(new Passwords.Cost(4096, 1, 1), new HashingPool(1, java.time.Duration.ofSeconds(1))).hash(PASSWORD);
        DATABASE.execute("UPDATE learner SET password_hash = ? WHERE email = ?", weak, email);
        signIn(browser(), email, PASSWORD);
        String stored = DATABASE.value("SELECT password_hash FROM learner WHERE email = ?", email);
        assertThat(stored).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(weak);
        signIn(browser(), email, PASSWORD);
    }

    @Test
    void changingThePasswordOffersToEndOtherSessionsAndStartsANewOne() {
        String email = signedUpAndConfirmed();
        Browser laptop = browser();
        Browser phone = browser();
        signIn(laptop, email, PASSWORD);
        signIn(phone, email, PASSWORD);
        String before = laptop.cookie("session").orElseThrow();

        HttpResponse<String> wrongCurrent = laptop.post("/account/password", "current", "nope nope nope",
                "password", "a second passphrase", "others", "yes");
        assertThat(wrongCurrent.statusCode()).isEqualTo(422);
        assertThat(wrongCurrent.body()).contains("not your current password");

        HttpResponse<String> changed = laptop.post("/account/password", "current", PASSWORD, "password",
                "a second passphrase", "others", "yes");
        assertThat(changed.statusCode()).isEqualTo(303);
        assertThat(laptop.cookie("session")).hasValueSatisfying(after -> assertThat(after).isNotEqualTo(before));
        assertThat(laptop.get("/account?notice=password").body()).contains("Your password is changed.");
        assertThat(phone.get("/account").statusCode()).isEqualTo(303);

        Browser tablet = browser();
        signIn(tablet, email, "a second passphrase");
        laptop.post("/account/password", "current", "a second passphrase", "password", "a third passphrase");
        assertThat(tablet.get("/account").statusCode()).as("kept when not asked to end").isEqualTo(200);
        laptop.post("/account/sessions/others");
        assertThat(tablet.get("/account").statusCode()).isEqualTo(303);
        assertThat(laptop.get("/account").statusCode()).isEqualTo(200);
        laptop.post("/account/sessions/all");
        assertThat(laptop.get("/account").statusCode()).isEqualTo(303);
    }

    @Test
    void changingTheAddressTakesALinkSentToTheNewOne() {
        String email = signedUpAndConfirmed();
        Browser browser = browser();
        signIn(browser, email, PASSWORD);
        String newEmail = newAddress();
        assertThat(browser.post("/account/email", "email", newEmail, "current", PASSWORD).statusCode())
                .isEqualTo(303);
        String link = TestMail.linkPath(MAIL.latest(newEmail, "Confirm your new email address"), "/account/email/");
        assertThat(browser.get("/account").body()).contains(email);
        browser.get(link);
        assertThat(browser.post(link).body()).contains("Address changed");
        assertThat(browser.get("/account").body()).contains(newEmail);
        assertThat(browser().post("/login", "email", newEmail, "password", PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void sessionsEndWhenIdleTooLongOrTooOldOrTheAccountIsDisabled() {
        String email = signedUpAndConfirmed();
        Browser idle = browser().userAgent("idle");
        signIn(idle, email, PASSWORD);
        Browser old = browser().userAgent("old");
        signIn(old, email, PASSWORD);
        Browser disabled = browser();
        signIn(disabled, email, PASSWORD);

        // Each change reaches the kept sessions through the database's announcement, within a second.
        DATABASE.execute("UPDATE session SET last_seen_at = now() - interval '29 days' WHERE user_agent = 'idle'");
        assertThat(idle.get("/account").statusCode()).as("within the idle timeout").isEqualTo(200);
        DATABASE.execute("UPDATE session SET last_seen_at = now() - interval '31 days' WHERE user_agent = 'idle'");
        WithinASecond.until("idle past the timeout", () -> idle.get("/account").statusCode() == 303);
        DATABASE.execute("UPDATE session SET expires_at = now() - interval '1 second' WHERE user_agent = 'old'");
        WithinASecond.until("past the absolute timeout", () -> old.get("/account").statusCode() == 303);

        assertThat(((TestSite) SITE.getApplication()).accounts().setDisabled(email, true)).isTrue();
        WithinASecond.until("disabled", () -> disabled.get("/account").statusCode() == 303);
        assertThat(sessions(email)).isZero();
        assertThat(browser().post("/login", "email", email, "password", PASSWORD).statusCode()).isEqualTo(401);
    }

    @Test
    void theHoneypotSignsNobodyUpAndOneAddressCannotSignUpWithoutEnd() {
        String email = newAddress();
        Browser bot = browser();
        HttpResponse<String> trapped = bot.post("/signup", "email", email, "password", PASSWORD, "website",
                "http://spam.example");
        assertThat(trapped.statusCode()).isEqualTo(200);
        assertThat(trapped.body()).contains("Check your mail");
        assertThat(DATABASE.<Integer>value("SELECT count(*)::int FROM learner WHERE email = ?", email)).isEqualTo(0);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            statuses.add(bot.post("/signup", "email", newAddress(), "password", PASSWORD).statusCode());
        }
        assertThat(statuses.subList(0, 4)).containsOnly(200);
        assertThat(statuses.subList(5, 7)).containsOnly(429);
    }

    // ---- helpers

    private static String signedUpAndConfirmed() {
        String email = newAddress();
        assertThat(browser().post("/signup", "email", email, "password", PASSWORD).statusCode()).isEqualTo(200);
        confirm(email);
        return email;
    }

    private static void confirm(String email) {
        String link = TestMail.linkPath(MAIL.latest(email, "Confirm your email address"), "/verify/");
        assertThat(browser().post(link).statusCode()).isEqualTo(200);
    }

    private static void signIn(Browser browser, String email, String password) {
        HttpResponse<String> response = browser.post("/login", "email", email, "password", password);
        assertThat(response.statusCode()).as("sign in as %s: %s", email, response.body()).isEqualTo(303);
    }

    /** Where a redirect leads on this site: its Location without scheme and host. */
    private static String target(HttpResponse<String> redirect) {
        java.net.URI location = java.net.URI.create(redirect.headers().firstValue("Location").orElseThrow());
        return location.getRawPath() + (location.getRawQuery() == null ? "" : "?" + location.getRawQuery());
    }

    private static boolean verified(String email) {
        return DATABASE.<Boolean>value("SELECT email_verified_at IS NOT NULL FROM learner WHERE email = ?", email);
    }

    private static int sessions(String email) {
        return DATABASE.<Integer>value("SELECT count(*)::int FROM session s JOIN learner l ON l.id = s.learner_id"
                + " WHERE l.email = ?", email);
    }

    private static String problem(String body) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("class=\"problem\"[^>]*>([^<]*)<")
                .matcher(body);
        return matcher.find() ? matcher.group(1) : "";
    }

    private static String withoutTokens(String body) {
        return body.replaceAll("[A-Za-z0-9_-]{43}", "TOKEN");
    }

    private static long time(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static String newAddress() {
        return "learner" + ADDRESSES.incrementAndGet() + "-" + System.nanoTime() % 100000 + "@example.com";
    }

    private static Browser browser() {
        return Browser.at(base());
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
