package dev.athanor.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorConfiguration;
import dev.athanor.testing.FreePort;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import dev.athanor.testing.TestSite;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo's captioned lesson in a real browser (headless Chromium): the player loads its caption track from the
 * site, the cue said at a moment is the video's active cue, a transcript link seeks the player to its moment, and a
 * moment in the page's address ({@code #t=SECONDS}, where search hits link) is where the player starts.
 */
class CaptionsInBrowserTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final int PORT = FreePort.find();
    private static final String BASE = "http://127.0.0.1:" + PORT;
    private static final String LESSON = BASE + "/courses/java-from-scratch/hello-world";

    @RegisterExtension
    static final DropwizardAppExtension<AthanorConfiguration> SITE = TestApp.extension(TestSite.class,
            () -> DATABASE, ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(PORT)),
            ConfigOverride.config("site.baseUrl", BASE));

    private static Chromium chromium;

    @BeforeAll
    static void start() throws Exception {
        ((TestSite) SITE.getApplication()).content().importFolder(Path.of("..", "content", "demo"), false);
        chromium = new Chromium(TestPostgres.newDirectory("chromium-captions"));
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void theCueSaidAtAMomentIsTheActiveCueOfTheShowingTrack() {
        ChromeDriver browser = chromium.driver();
        browser.get(LESSON);
        assertThat(browser.getCurrentUrl()).isEqualTo(LESSON);
        WebElement video = browser.findElement(By.id("player"));
        assertThat(browser.findElement(By.cssSelector("#player track[kind=captions][srclang=en]"))
                .getAttribute("label")).isEqualTo("English");

        browser.executeScript("arguments[0].textTracks[0].mode = 'showing';", video);
        waitFor(browser, "the track's cues loaded from the site",
                "return arguments[0].textTracks[0].cues !== null && arguments[0].textTracks[0].cues.length === 4;",
                video);
        browser.executeScript("arguments[0].currentTime = 4;", video);
        waitFor(browser, "a cue active at 0:04", "var cues = arguments[0].textTracks[0].activeCues;"
                + " return cues !== null && cues.length > 0;", video);

        assertThat(browser.executeScript("return arguments[0].textTracks[0].mode;", video)).isEqualTo("showing");
        assertThat(browser.executeScript("return arguments[0].textTracks[0].language;", video)).isEqualTo("en");
        assertThat((String) browser.executeScript("return arguments[0].textTracks[0].activeCues[0].text;", video))
                .isEqualTo("Write it in a file named Hello.java,\nthen compile it with javac.");
        assertThat(browser.executeScript("return arguments[0].error;", video)).isNull();
    }

    @Test
    void aTranscriptLinkSeeksThePlayerAndTheAddressNamesTheMoment() {
        ChromeDriver browser = chromium.driver();
        browser.get(LESSON);
        WebElement video = browser.findElement(By.id("player"));
        waitFor(browser, "the video's metadata", "return arguments[0].readyState >= 1;", video);
        browser.findElement(By.cssSelector("details.transcript summary")).click();
        WebElement last = browser.findElement(By.cssSelector("details.transcript a[data-seek='9.5']"));
        assertThat(last.getAttribute("href")).isEqualTo(LESSON + "/video#t=9.5");
        assertThat(last.getText()).isEqualTo("0:09");

        last.click();
        waitFor(browser, "the player at 0:09.5", "return Math.abs(arguments[0].currentTime - 9.5) < 0.6;", video);
        assertThat(browser.getCurrentUrl()).isEqualTo(LESSON + "#t=9.5");
        browser.executeScript("arguments[0].pause();", video);

        browser.get(BASE + "/");
        browser.get(LESSON + "#t=6.5");
        WebElement again = browser.findElement(By.id("player"));
        waitFor(browser, "the player starting at the address's moment",
                "return arguments[0].readyState >= 1 && Math.abs(arguments[0].currentTime - 6.5) < 0.1;", again);
    }

    private static void waitFor(ChromeDriver browser, String what, String script, Object... arguments) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).withMessage(what).until(driver ->
                Boolean.TRUE.equals(browser.executeScript(script, arguments)));
    }
}
