package dev.athanor.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.platform.Sha256;
import dev.athanor.testing.Browser;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The "signed in here before" cookie belongs to one browser's sign-in, not to the account: each sign-in gets its own
 * random value, only its hash is stored, and it lifts the account's lockout only while it is live for that account.
 */
class DeviceCookiesTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final String PASSWORD = "plum tree in the orchard";
    private static final String NEW_PASSWORD = "a pear tree by the wall";
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    @Test
    void everySignInGetsItsOwnValueAndOnlyItsHashIsStored() {
        String email = signedUp();
        Browser laptop = browser();
        Browser phone = browser();
        signIn(laptop, email, PASSWORD);
        signIn(phone, email, PASSWORD);
        String first = laptop.cookie("device").orElseThrow();
        String second = phone.cookie("device").orElseThrow();
        assertThat(first).isNotEqualTo(second).hasSize(43);

        assertThat(DATABASE.<Long>value("SELECT count(*) FROM device WHERE token_hash = ? OR token_hash = ?",
                sha256(first), sha256(second))).isEqualTo(2);
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM device WHERE token_hash = ? OR token_hash = ?",
                first.getBytes(StandardCharsets.US_ASCII), second.getBytes(StandardCharsets.US_ASCII))).isZero();
        assertThat(DATABASE.<Integer>value("SELECT extract(day FROM expires_at - created_at)::int FROM device"
                + " WHERE token_hash = ?", sha256(first))).isEqualTo(365);

        signIn(laptop, email, PASSWORD);
        assertThat(laptop.cookie("device")).hasValueSatisfying(again -> assertThat(again).isNotEqualTo(first));
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM device WHERE token_hash = ?", sha256(first)))
                .as("the value a browser held is replaced, not kept").isZero();
    }

    @Test
    void aLiveDeviceCookieLiftsTheLockoutOfItsOwnAccountOnly() {
        String email = signedUp();
        String other = signedUp();
        Browser owner = browser();
        signIn(owner, email, PASSWORD);
        Browser otherOwner = browser();
        signIn(otherOwner, other, PASSWORD);
        lockOut(email);
        lockOut(other);

        assertThat(otherOwner.post("/login", "email", email, "password", PASSWORD).statusCode())
                .as("another account's device cookie").isEqualTo(429);
        assertThat(owner.post("/login", "email", email, "password", PASSWORD).statusCode()).isEqualTo(303);
        Browser forged = browser();
        forged.setCookie("device", "A".repeat(43));
        assertThat(forged.post("/login", "email", other, "password", PASSWORD).statusCode()).isEqualTo(429);
    }

    @Test
    void aPasswordChangeRevokesEveryDeviceCookieButTheChangingBrowsersNewOne() {
        String email = signedUp();
        Browser old = browser();
        signIn(old, email, PASSWORD);
        String oldDevice = old.cookie("device").orElseThrow();
        Browser changing = browser();
        signIn(changing, email, PASSWORD);
        String before = changing.cookie("device").orElseThrow();
        assertThat(changing.post("/account/password", "current", PASSWORD, "password", NEW_PASSWORD)
                .statusCode()).isEqualTo(303);
        String after = changing.cookie("device").orElseThrow();
        assertThat(after).isNotEqualTo(before);
        old.post("/logout");
        changing.post("/logout");

        lockOut(email);
        assertThat(old.cookie("device")).hasValue(oldDevice);
        assertThat(old.post("/login", "email", email, "password", NEW_PASSWORD).statusCode())
                .as("a device cookie from before the change").isEqualTo(429);
        assertThat(changing.post("/login", "email", email, "password", NEW_PASSWORD).statusCode())
                .as("the live one").isEqualTo(303);
    }

    @Test
    void signingOutEverywhereRevokesEveryDeviceCookie() {
        String email = signedUp();
        Browser kept = browser();
        signIn(kept, email, PASSWORD);
        kept.post("/logout");
        Browser leaving = browser();
        signIn(leaving, email, PASSWORD);
        assertThat(leaving.post("/account/sessions/all").statusCode()).isEqualTo(303);
        assertThat(leaving.cookie("device")).as("cleared in the browser that asked").isEmpty();
        assertThat(devices(email)).isZero();

        lockOut(email);
        assertThat(kept.post("/login", "email", email, "password", PASSWORD).statusCode()).isEqualTo(429);
    }

    @Test
    void resettingThePasswordOrDisablingTheAccountRevokesDeviceCookies() {
        String email = signedUp();
        Browser old = browser();
        signIn(old, email, PASSWORD);
        String oldDevice = old.cookie("device").orElseThrow();
        Browser resetting = browser();
        assertThat(resetting.post("/reset", "email", email).statusCode()).isEqualTo(200);
        String link = DATABASE.<String>value("SELECT substring(text_body FROM '/reset/[A-Za-z0-9_-]{43}') FROM outbox"
                + " WHERE recipient = ? AND template = 'reset' ORDER BY id DESC LIMIT 1", email);
        assertThat(resetting.post(link, "password", NEW_PASSWORD).statusCode()).isEqualTo(303);
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM device WHERE token_hash = ?", sha256(oldDevice)))
                .isZero();
        assertThat(devices(email)).as("the resetting browser's new one").isEqualTo(1);

        assertThat(((TestSite) SITE.getApplication()).accounts().setDisabled(email, true)).isTrue();
        assertThat(devices(email)).isZero();
    }

    private static void lockOut(String email) {
        Browser attacker = browser();
        for (int i = 0; i < 9; i++) {
            attacker.post("/login", "email", email, "password", "guess number " + i);
        }
        assertThat(attacker.post("/login", "email", email, "password", "one more guess").statusCode())
                .isEqualTo(429);
    }

    private static String signedUp() {
        String email = "device" + ADDRESSES.incrementAndGet() + "-" + System.nanoTime() % 100000 + "@example.com";
        assertThat(browser().post("/signup", "email", email, "password", PASSWORD).statusCode()).isEqualTo(200);
        return email;
    }

    private static void signIn(Browser browser, String email, String password) {
        assertThat(browser.post("/login", "email", email, "password", password).statusCode()).isEqualTo(303);
    }

    private static long devices(String email) {
        return DATABASE.<Long>value("SELECT count(*) FROM device d JOIN learner l ON l.id = d.learner_id"
                + " WHERE l.email = ?", email);
    }

    private static byte[] sha256(String token) {
        return Sha256.digest().digest(token.getBytes(StandardCharsets.US_ASCII));
    }

    private static Browser browser() {
        return Browser.at("http://127.0.0.1:" + SITE.getLocalPort());
    }
}
