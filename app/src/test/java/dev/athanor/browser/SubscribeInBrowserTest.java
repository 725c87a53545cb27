package dev.athanor.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.FakeStripe;
import dev.athanor.testing.FreePort;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestMail;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The site's key flow in a real browser (headless Chromium): sign up, confirm the address from the mail, subscribe
 * through (fake) Stripe Checkout, come back, and watch a subscribers-only lesson; and a regional price that is the
 * amount Checkout charges.
 */
class SubscribeInBrowserTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final TestMail MAIL = new TestMail();
    private static final FakeStripe STRIPE = new FakeStripe("sk_test_fake");
    private static final int PORT = FreePort.find();
    private static final String BASE = "http://127.0.0.1:" + PORT;

    static {
        STRIPE.price("price_monthly", 1900, "usd", "month", "Monthly");
        STRIPE.price("price_yearly", 19000, "usd", "year", "Yearly");
        STRIPE.percentCoupon("coupon_tier1", new BigDecimal("45"));
        STRIPE.percentCoupon("coupon_tier2", new BigDecimal("30"));
    }

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE, overrides());

    private static Chromium chromium;

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
        ((TestSite) SITE.getApplication()).content().importFolder(Path.of("..", "content", "demo"), false);
        STRIPE.webhooks(BASE + "/stripe/webhook", "whsec_test_secret");
        chromium = new Chromium(TestPostgres.newDirectory("chromium-profile"));
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        STRIPE.close();
        MAIL.close();
    }

    @Test
    void signUpConfirmSubscribeAndWatchASubscribersLesson() {
        WebDriver browser = chromium.driver();
        browser.manage().deleteAllCookies();
        String lesson = BASE + "/courses/java-from-scratch/loops";
        browser.get(lesson);
        assertThat(browser.findElement(By.className("locked")).getText()).contains("This lesson is for subscribers");

        browser.get(BASE + "/signup");
        browser.findElement(By.id("email")).sendKeys("browser@example.com");
        browser.findElement(By.id("password")).sendKeys("watching from a real browser");
        click(browser, By.cssSelector("form.stacked button[type=submit]"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Check your mail");

        String link = TestMail.linkPath(MAIL.latest("browser@example.com", "Confirm your email address"),
                "/verify/");
        browser.get(BASE + link);
        click(browser, By.cssSelector("main form button"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Your address is confirmed");

        browser.get(BASE + "/login");
        browser.findElement(By.id("email")).sendKeys("browser@example.com");
        browser.findElement(By.id("password")).sendKeys("watching from a real browser");
        click(browser, By.cssSelector("form[action='/login'] button"));
        assertThat(browser.getCurrentUrl()).isEqualTo(BASE + "/account");

        browser.get(BASE + "/subscribe");
        assertThat(price(browser, "monthly")).isEqualTo("$19.00");
        click(browser, By.cssSelector("#plan-monthly button"));
        assertThat(browser.getCurrentUrl()).startsWith(STRIPE.url() + "/checkout/");
        assertThat(browser.findElement(By.id("amount-total")).getText()).isEqualTo("19.00");
        click(browser, By.id("pay"));
        wait(browser).until(ExpectedConditions.urlContains("/account/subscription"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Thank you for subscribing",
                "monthly");

        browser.get(lesson);
        WebElement video = browser.findElement(By.id("player"));
        assertThat(browser.findElements(By.className("locked"))).isEmpty();
        chromium.driver().executeScript("arguments[0].muted = true; return arguments[0].play();", video);
        wait(browser).until(driver -> ((Number) chromium.driver().executeScript(
                "return arguments[0].currentTime;", video)).doubleValue() > 1.5);
        chromium.driver().executeScript("arguments[0].pause();", video);
        assertThat(chromium.driver().executeScript("return arguments[0].error;", video)).isNull();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (progress() < 1 && System.nanoTime() < deadline) {
            sleep(100);
        }
        assertThat(progress()).as("the player reported the position, with the form token").isPositive();
    }

    @Test
    void aRegionalPriceIsTheAmountCheckoutCharges() {
        WebDriver browser = chromium.driver();
        browser.manage().deleteAllCookies();
        chromium.header("X-Country-Code", "IN");
        try {
            browser.get(BASE + "/signup");
            browser.findElement(By.id("email")).sendKeys("regional@example.com");
            browser.findElement(By.id("password")).sendKeys("a price for my country");
            click(browser, By.cssSelector("form.stacked button[type=submit]"));
            browser.get(BASE + "/login");
            browser.findElement(By.id("email")).sendKeys("regional@example.com");
            browser.findElement(By.id("password")).sendKeys("a price for my country");
            click(browser, By.cssSelector("form[action='/login'] button"));

            browser.get(BASE + "/subscribe");
            assertThat(browser.findElement(By.id("regional")).getText())
                    .isEqualTo("Regional price for India: 45% off every plan.");
            String shown = price(browser, "yearly");
            assertThat(shown).isEqualTo("$104.50");
            click(browser, By.cssSelector("#plan-yearly button"));
            assertThat(browser.getCurrentUrl()).startsWith(STRIPE.url() + "/checkout/");
            assertThat("$" + browser.findElement(By.id("amount-total")).getText()).isEqualTo(shown);
        } finally {
            chromium.header("X-Country-Code", "");
        }
    }

    /**
     * Clicks and waits for the page the click leads to (a form post, a redirect): a new document, fully loaded. The
     * old one is marked first, since a new document has a new window. While the browser is between documents,
     * chromedriver can answer a script or an element lookup with an error rather than a result; those are waited out.
     */
    private static void click(WebDriver browser, By target) {
        JavascriptExecutor script = (JavascriptExecutor) browser;
        script.executeScript("window.athanorLeaving = true;");
        browser.findElement(target).click();
        wait(browser).ignoring(WebDriverException.class).until(driver -> Boolean.TRUE.equals(script.executeScript(
                "return window.athanorLeaving === undefined && document.readyState === 'complete';")));
    }

    private static String price(WebDriver browser, String plan) {
        return browser.findElement(By.cssSelector("#plan-" + plan + " .amount")).getText();
    }

    private static long progress() {
        return DATABASE.<Long>value("""
                SELECT count(*) FROM lesson_progress p JOIN learner l ON l.id = p.learner_id
                WHERE l.email = 'browser@example.com' AND p.position_seconds >= 1""");
    }

    private static WebDriverWait wait(WebDriver browser) {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
