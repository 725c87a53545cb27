package dev.athanor.ops.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.testing.Browser;
import dev.athanor.testing.Operators;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import dev.athanor.testing.WithinASecond;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ops users}: an operator made from the command line signs in to the running site's operator pages. */
class UsersCommandTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE);

    @Test
    void createAdminReadsThePasswordFromStandardInputAndTheOperatorReachesTheAdminPages() throws Exception {
        OpsRun created = withStdin("a long operator passphrase\n", "users", "create-admin", "Owner@Example.com",
                "--config", config().toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("Operator Owner@Example.com can sign in");

        Browser browser = Browser.at(base());
        Operators.signIn(browser, DATABASE, "owner@example.com", "a long operator passphrase");
        assertThat(browser.get("/admin").statusCode()).isEqualTo(200);

        OpsRun disabled = OpsRun.of("users", "disable", "owner@example.com", "--config", config().toString());
        assertThat(disabled.exitCode()).as(disabled.err()).isZero();
        // ops works on the database beside the site, which hears of it within a second
        WithinASecond.until("not an operator's any more", () -> browser.get("/admin").statusCode() == 404);
        WithinASecond.until("signed out", () -> browser.get("/account").statusCode() == 303);
        assertThat(OpsRun.of("users", "enable", "owner@example.com", "--config", config().toString()).exitCode())
                .isZero();
        Operators.signIn(browser, DATABASE, "owner@example.com", "a long operator passphrase");
        assertThat(browser.get("/admin").statusCode()).isEqualTo(200);
    }

    @Test
    void resetTwoFactorRemovesTheAuthenticatorAndRecoveryCodesAndEndsTheSessions() throws Exception {
        assertThat(withStdin("the lost phone passphrase\n", "users", "create-admin", "lost@example.com", "--config",
                config().toString()).exitCode()).isZero();
        Browser browser = Browser.at(base());
        Operators.signIn(browser, DATABASE, "lost@example.com", "the lost phone passphrase");
        assertThat(browser.get("/admin").statusCode()).isEqualTo(200);

        OpsRun reset = OpsRun.of("users", "reset-2fa", "Lost@Example.com", "--config", config().toString());
        assertThat(reset.exitCode()).as(reset.err()).isZero();
        assertThat(reset.out().strip()).isEqualTo("Lost@Example.com: removed 1 second factor and 10 recovery codes;"
                + " ended 1 session. It signs in with its password alone now.");
        WithinASecond.until("signed out", () -> browser.get("/account").statusCode() == 303);
        assertThat(browser.get("/admin").statusCode()).isEqualTo(404);
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM recovery_code r JOIN learner l ON l.id = r.learner_id"
                + " WHERE l.email = 'lost@example.com'")).isZero();

        HttpResponse<String> again = browser.post("/login", "email", "lost@example.com", "password",
                "the lost phone passphrase");
        assertThat(again.statusCode()).isEqualTo(303);
        assertThat(again.headers().firstValue("Location")).as("no code asked; enrol again")
                .hasValueSatisfying(location -> assertThat(location).endsWith("/account/two-factor"));
        assertThat(browser.get("/admin").statusCode()).isEqualTo(404);

        OpsRun unknown = OpsRun.of("users", "reset-2fa", "ghost@example.com", "--config", config().toString());
        assertThat(unknown.exitCode()).isEqualTo(66);
        assertThat(unknown.err().strip()).isEqualTo("ops: no account has the address ghost@example.com");
    }

    @Test
    void aWeakOrMissingPasswordAndAnUnknownAccountAreClearErrors() throws Exception {
        OpsRun weak = withStdin("short7!\n", "users", "create-admin", "weak@example.com", "--config",
                config().toString());
        assertThat(weak.exitCode()).isEqualTo(65);
        assertThat(weak.err().strip()).isEqualTo("ops: password: Use at least 8 characters.");
        OpsRun common = withStdin("password1\n", "users", "create-admin", "weak@example.com", "--config",
                config().toString());
        assertThat(common.exitCode()).isEqualTo(65);
        assertThat(common.err()).contains("most common");
        assertThat(DATABASE.<Long>value("SELECT count(*) FROM learner WHERE email = 'weak@example.com'")).isZero();

        OpsRun none = withStdin("", "users", "create-admin", "nobody@example.com", "--config", config().toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("no password given");

        OpsRun unknown = OpsRun.of("users", "disable", "ghost@example.com", "--config", config().toString());
        assertThat(unknown.exitCode()).isEqualTo(66);
        assertThat(unknown.err().strip()).isEqualTo("ops: no account has the address ghost@example.com");
    }

    private static OpsRun withStdin(String input, String... args) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return OpsRun.of(args);
        } finally {
            System.setIn(original);
        }
    }

    private static Path config() throws Exception {
        String config = Files.readString(Path.of("..", "config.yml"))
                .replace("${DATABASE_URL:-embedded}", DATABASE.jdbcUrl())
                .replace("${DATABASE_USER:-}", DATABASE.user()).replace("${DATABASE_PASSWORD:-}", DATABASE.password())
                .replace("${ATHANOR_DATA_DIR:-./data}", TestPostgres.newDirectory("ops-data").toString());
        Path file = TestPostgres.newDirectory("ops-config").resolve("config.yml");
        Files.writeString(file, config);
        return file;
    }

    private static String base() {
        return "http://127.0.0.1:" + SITE.getLocalPort();
    }
}
