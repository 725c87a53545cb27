package dev.athanor.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.Authenticator;
import dev.athanor.testing.Browser;
import dev.athanor.testing.FakeStripe;
import dev.athanor.testing.FreePort;
import dev.athanor.testing.Learners;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestMail;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every page type of the site in a real browser (headless Chromium), checked with axe-core against WCAG 2.0, 2.1 and
 * 2.2 A and AA and for reflow at 320 CSS pixels ({@link AccessibilityCheck}): the public pages, the lesson in each
 * state of access (free, locked to a stranger, locked to a learner without a subscription, open to a subscriber), the
 * account, subscription and token pages, the pages that links by mail open, the operator's pages with the
 * authenticator enrolment, and the error pages. One browser visits them in turn.
 */
class AccessibleInBrowserTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final TestMail MAIL = new TestMail();
    private static final FakeStripe STRIPE = new FakeStripe("sk_test_fake");
    private static final int PORT = FreePort.find();
    private static final String BASE = "http://127.0.0.1:" + PORT;
    private static final String PASSWORD = "an accessible passphrase";
    private static final String LESSON = "/courses/java-from-scratch/loops";

    static {
        STRIPE.price("price_monthly", 1900, "usd", "month", "Monthly");
        STRIPE.price("price_yearly", 19000, "usd", "year", "Yearly");
    }

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE, overrides());

    private static Chromium chromium;
    private ChromeDriver driver;
    private AccessibilityCheck check;

    static ConfigOverride[] overrides() {
        List<ConfigOverride> all = new ArrayList<>(List.of(MAIL.overrides()));
        all.add(ConfigOverride.config("billing.secretKey", "sk_test_fake"));
        all.add(ConfigOverride.config("billing.apiBase", STRIPE.url()));
        all.add(ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(PORT)));
        all.add(ConfigOverride.config("site.baseUrl", BASE));
        return all.toArray(new ConfigOverride[0]);
    }

    @BeforeAll
    static void start() throws Exception {
        site().content().importFolder(Path.of("..", "content", "demo"), false);
        chromium = new Chromium(TestPostgres.newDirectory("chromium-profile"));
        AccessibilityCheck.preloadAxe(chromium.driver());
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        STRIPE.close();
        MAIL.close();
    }

    @BeforeEach
    void freshBrowser() {
        driver = chromium.driver();
        driver.get(BASE + "/robots.txt");
        driver.manage().deleteAllCookies();
        check = new AccessibilityCheck(driver);
    }

    @Test
    void publicPages() {
        visit("front page", "/", By.id("courses-heading"));
        driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        WebElement skip = driver.switchTo().activeElement();
        assertThat(skip.getAttribute("href")).as("the first Tab reaches the skip link").isEqualTo(BASE + "/#main");
        assertThat(skip.getRect().getX()).as("the skip link shows when focused").isNotNegative();
        assertThat(skip.getCssValue("outline-style")).as("with a focus ring").isNotEqualTo("none");
        skip.sendKeys(Keys.ENTER);
        assertThat(driver.getCurrentUrl()).isEqualTo(BASE + "/#main");
        visit("catalogue", "/courses", By.cssSelector("ul.cards li.card h2 a"));
        visit("course", "/courses/java-from-scratch", By.cssSelector("ol.lessons li a"));
        visit("free lesson", "/courses/java-from-scratch/hello-world",
                By.cssSelector("article.lesson video#player ~ .prose li input[type=checkbox]"));
        visit("subscribers' lesson, to a stranger", LESSON,
                By.cssSelector("article.lesson .locked a[href='/login?next=" + LESSON + "']"));
        assertThat(driver.findElements(By.id("player"))).isEmpty();
        visit("articles", "/articles", By.cssSelector("ul.article-list li h2 a"));
        visit("article", "/articles/reading-compiler-errors", By.cssSelector("article.article .prose"));
        visit("tag", "/tags/java", By.xpath("//h1[starts-with(., 'Tagged')]"));
        visit("search", "/search?q=java", By.cssSelector("ol.results li h2 a"));
        visit("sign-up", "/signup", By.cssSelector("form[action='/signup'] input#email"));
        visit("sign-in", "/login", By.cssSelector("form[action='/login'] input#password"));
        visit("password reset", "/reset", By.cssSelector("form[action='/reset'] input#email"));
        visit("pricing", "/subscribe", By.cssSelector("ul.plans li.plan a[href='/signup']"));
        check.assertNoProblems();
    }

    @Test
    void pagesThatLinksByMailOpen() {
        String email = "links@example.com";
        Browser mailer = Browser.at(BASE);
        assertThat(mailer.post("/signup", "email", email, "password", PASSWORD).statusCode()).isEqualTo(200);
        String verify = TestMail.linkPath(MAIL.latest(email, "Confirm your email address"), "/verify/");
        visit("address confirmation", verify, By.cssSelector("form[action='" + verify + "'] button"));
        mailer.post("/reset", "email", email);
        String reset = TestMail.linkPath(MAIL.latest(email, "Reset your"), "/reset/");
        visit("new password", reset, By.cssSelector("form[action='" + reset + "'] input#password"));
        mailer.post("/login/link", "email", email);
        String link = TestMail.linkPath(MAIL.latest(email, "Your sign-in link"), "/login/link/");
        visit("sign-in link", link, By.cssSelector("form[action='" + link + "'] button"));
        check.assertNoProblems();
    }

    @Test
    void errorPages() {
        visit("not found", "/no-such-page", By.xpath("//p[@class='error-code' and .='404']"));
        driver.get(BASE + "/login");
        submit("document.querySelector(\"form[action='/login'] input[name=csrf]\").remove();"
                + "document.querySelector(\"form[action='/login']\").submit();");
        check.page("forbidden (a form without its token)", BASE + "/login",
                By.xpath("//p[@class='error-code' and .='403']"));
        driver.get(BASE + "/signup");
        submit("const form = document.querySelector(\"form[action='/signup']\");"
                + "form.querySelector('#email').value = 'x'.repeat(100000) + '@example.com'; form.submit();");
        check.page("too large (a form over the body limit)", BASE + "/signup",
                By.xpath("//p[@class='error-code' and .='413']"));
        check.assertNoProblems();
    }

    @Test
    void aLearnerWithoutAccess() {
        signIn(learner("learner@example.com"));
        visit("subscribers' lesson, to a learner without access", LESSON,
                By.cssSelector("article.lesson .locked a[href='/subscribe']"));
        assertThat(driver.findElements(By.id("player"))).isEmpty();
        visit("pricing, signed in", "/subscribe", By.cssSelector("ul.plans form[action='/subscribe/monthly'] button"));
        visit("account", "/account", By.cssSelector("form[action='/account/password'] input#current"));
        visit("two-factor, off", "/account/two-factor", By.cssSelector("form[action='/account/two-factor/start']"));
        visit("subscription, none", "/account/subscription", By.cssSelector("main a.button[href='/subscribe']"));
        check.assertNoProblems();
    }

    @Test
    void aSubscriber() {
        Browser subscriber = learner("subscriber@example.com");
        Learners.entitle(DATABASE, DATABASE.<Long>value(
                "SELECT id FROM learner WHERE email = 'subscriber@example.com'"), null);
        signIn(subscriber);
        visit("subscribers' lesson, to a subscriber", LESSON, By.cssSelector("article.lesson video#player"));
        assertThat(driver.findElement(By.id("player")).getAttribute("controls"))
                .as("the browser's own controls, which a keyboard operates").isNotNull();
        assertThat(driver.findElements(By.className("locked"))).isEmpty();
        visit("course, signed in", "/courses/java-from-scratch", By.cssSelector("ol.lessons li a"));
        visit("subscription, by a grant", "/account/subscription", By.xpath("//p[starts-with(., 'You have access')]"));
        visit("API tokens", "/account/tokens", By.cssSelector("form[action='/account/tokens'] input#token-name"));
        driver.findElement(By.id("token-name")).sendKeys("a script");
        submit("document.querySelector(\"form[action='/account/tokens']\").submit();");
        check.page("API tokens, a new one", driver.getCurrentUrl(), By.id("new-token"));
        assertThat(driver.getCurrentUrl()).startsWith(BASE + "/account/tokens");
        check.assertNoProblems();
    }

    @Test
    void theOperator() throws IOException {
        String email = "operator@example.com";
        assertThat(site().accounts().createOperator(email, PASSWORD)).isEmpty();
        Browser operator = Browser.at(BASE);
        assertThat(operator.post("/login", "email", email, "password", PASSWORD).headers().firstValue("Location"))
                .hasValue("/account/two-factor");
        signIn(operator);
        visit("two-factor, an operator who must enrol", "/account/two-factor",
                By.cssSelector("form[action='/account/two-factor/start'] button"));
        submit("document.querySelector(\"form[action='/account/two-factor/start']\").submit();");
        driver.get(BASE + "/account/two-factor");
        check.page("two-factor, enrolling", BASE + "/account/two-factor", By.cssSelector("img.qr-code"));
        byte[] secret = Authenticator.secret(driver.findElement(By.className("totp-key")).getText());
        driver.findElement(By.id("code")).sendKeys(Authenticator.code(secret));
        submit("document.querySelector(\"form[action='/account/two-factor/confirm']\").submit();");
        check.page("recovery codes", BASE + "/account/two-factor/confirm",
                By.cssSelector("ol.recovery-codes li code"));
        visit("two-factor, on", "/account/two-factor", By.cssSelector("form[action='/account/two-factor/disable']"));
        visit("operator dashboard", "/admin", By.cssSelector("table.inventory tbody tr"));
        visit("members", "/admin/members", By.cssSelector("form[action='/admin/members/grant'] input#grant-email"));
        visit("activity", "/admin/activity", By.xpath("//h1[.='Activity']"));
        driver.get(BASE + "/admin");
        driver.findElement(By.id("zip")).sendKeys(demoZip().toString());
        submit("document.querySelector(\"form[action='/admin/content/upload']\").submit();");
        check.page("import report", BASE + "/admin/content/upload", By.xpath("//h1[.='Imported']"));

        driver.manage().deleteAllCookies();
        driver.get(BASE + "/login?next=/account");
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(PASSWORD);
        submit("document.querySelector(\"form[action='/login']\").submit();");
        check.page("sign-in code", BASE + "/login/code?next=%2Faccount", By.cssSelector("form[action='/login/code'] input#code"));
        check.assertNoProblems();
    }

    private void visit(String name, String path, By marker) {
        driver.get(BASE + path);
        check.page(name, BASE + path, marker);
    }

    /** A learner with a confirmed address, signed in by the site (the test browser keeps the cookies). */
    private static Browser learner(String email) {
        Browser learner = Browser.at(BASE);
        assertThat(learner.post("/signup", "email", email, "password", PASSWORD).statusCode()).isEqualTo(200);
        DATABASE.execute("UPDATE learner SET email_verified_at = now() WHERE email = ?", email);
        assertThat(learner.post("/login", "email", email, "password", PASSWORD).statusCode()).isEqualTo(303);
        return learner;
    }

    /** Gives Chromium the cookies {@code browser} was given, so it is signed in as the same visitor. */
    private void signIn(Browser browser) {
        driver.get(BASE + "/robots.txt");
        driver.manage().deleteAllCookies();
        for (String name : List.of("csrf", "session", "device")) {
            browser.cookie(name).ifPresent(value -> driver.manage().addCookie(new Cookie(name, value, "/")));
        }
    }

    /**
     * Runs {@code script} (which submits a form) and waits for the page it leads to: the old document is marked
     * first, since a new document has a new window; errors while the browser is between documents are waited out.
     */
    private void submit(String script) {
        driver.executeScript("window.athanorLeaving = true;" + script);
        new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(WebDriverException.class).until(d -> Boolean.TRUE
                .equals(driver.executeScript("return window.athanorLeaving === undefined"
                        + " && document.readyState === 'complete';")));
    }

    /** The demo content as the zip an operator uploads (importing it again changes nothing). */
    private static Path demoZip() throws IOException {
        Path root = Path.of("..", "content", "demo");
        Path zip = TestPostgres.newDirectory("demo-zip").resolve("demo.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream entries = new ZipOutputStream(out);
                Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                entries.putNextEntry(new ZipEntry(root.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, entries);
                entries.closeEntry();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return zip;
    }

    private static TestSite site() {
        return (TestSite) SITE.getApplication();
    }
}
