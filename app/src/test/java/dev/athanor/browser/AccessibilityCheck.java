package dev.athanor.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.args.AxeRunOnlyOptions;
import com.deque.html.axecore.args.AxeRunOptions;
import com.deque.html.axecore.providers.EmbeddedResourceAxeProvider;
import com.deque.html.axecore.providers.StringAxeScriptProvider;
import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The page the browser shows, checked as WCAG 2.2 AA asks: axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules,
 * the contrast of the dark palette too, headings in order (axe counts that a best practice, so it is checked here),
 * and reflow (success criterion 1.4.10: at 320 CSS pixels wide, which is 1280 pixels at 400% zoom, nothing but a
 * code block or a table scrolls sideways). Each check first asserts that the browser is on the page it was sent to
 * and that the page shows its marker, and that axe found rules that pass, so a redirect (to the sign-in page, say) or
 * an empty page cannot pass for the page meant. Problems are collected, so one run reports every page's.
 */
final class AccessibilityCheck {

    static final List<String> WCAG_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final StringAxeScriptProvider PRELOADED = new StringAxeScriptProvider(
            "if (!window.axe) throw new Error('axe-core is not in the page: AccessibilityCheck.preloadAxe first');");

    private final ChromeDriver driver;
    private final List<String> problems = new ArrayList<>();
    private int pages;

    AccessibilityCheck(ChromeDriver driver) {
        this.driver = driver;
    }

    /**
     * Checks the page the browser is on: it must be {@code url} and show {@code marker}; then axe and reflow. A
     * wrong page fails at once (what follows would check the wrong thing); axe's and reflow's findings are kept.
     */
    void page(String name, String url, By marker) {
        assertThat(driver.getCurrentUrl()).as("the browser is on the %s page", name).isEqualTo(url);
        assertThat(driver.findElements(marker)).as("the %s page shows %s", name, marker).isNotEmpty();
        pages++;
        Results results = new AxeBuilder().setAxeScriptProvider(PRELOADED).withOptions(wcagAa())
                .disableIframeTesting().setLegacyMode().analyze(driver);
        assertThat(results.isErrored()).as("axe ran on the %s page: %s", name, results.getErrorMessage()).isFalse();
        assertThat(results.getPasses()).as("axe found rules that pass on the %s page", name).isNotEmpty();
        report(name, url, "", results.getViolations());
        darkContrast(name, url);
        headings(name, url);
        reflow(name, url);
    }

    /**
     * The WCAG A and AA rules; results in full for violations only (passes keep one element each, which is all the
     * check needs, and the answer the browser sends back is that much smaller).
     */
    private static AxeRunOptions wcagAa() {
        AxeRunOnlyOptions only = new AxeRunOnlyOptions();
        only.setType("tag");
        only.setValues(WCAG_AA);
        AxeRunOptions options = new AxeRunOptions();
        options.setRunOnly(only);
        options.setResultTypes(List.of("violations"));
        return options;
    }

    /**
     * Puts axe-core (the copy inside the axe-core Selenium jar) into every document {@code driver} opens from now on:
     * the 560 KB script crosses to the browser once, not with every check (which took a second a page here). Checks
     * then run axe in the page itself (AxeBuilder's legacy mode: no second window for the results, and no frames on
     * these pages).
     */
    static void preloadAxe(ChromeDriver driver) {
        try {
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                    new EmbeddedResourceAxeProvider().getScript()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many pages were checked. */
    int pages() {
        return pages;
    }

    /** Fails with every problem found on every page checked so far. */
    void assertNoProblems() {
        assertThat(problems).as("accessibility problems on %d pages:\n%s", pages, String.join("\n", problems))
                .isEmpty();
    }

    private void report(String name, String url, String variant, List<Rule> violations) {
        for (Rule violation : violations) {
            StringBuilder text = new StringBuilder(name + " (" + url + ")" + variant + ": " + violation.getId() + ": "
                    + violation.getHelp());
            for (CheckedNode node : violation.getNodes()) {
                text.append("\n    at ").append(node.getTarget()).append(": ")
                        .append(node.getFailureSummary().replace("\n", " "));
            }
            problems.add(text.toString());
        }
    }

    /**
     * The dark palette (prefers-color-scheme: dark) has its own colours: their contrast is checked too, by the axe
     * already in the page.
     */
    private void darkContrast(String name, String url) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try {
            String violations = (String) driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']}, resultTypes: ['violations']})
                      .then(results => done(JSON.stringify(results.violations)), error => done('error: ' + error));
                    """);
            assertThat(violations).as("axe ran in dark mode on the %s page", name).doesNotStartWith("error");
            report(name, url, " in dark mode", JSON.readValue(violations, new TypeReference<List<Rule>>() { }));
        } catch (JsonProcessingException e) {
            throw new AssertionError("axe's answer on the " + name + " page", e);
        } finally {
            driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        }
    }

    /** Headings in order: the first is the one h1, and none skips a level on the way down (1.3.1, 2.4.6). */
    private void headings(String name, String url) {
        @SuppressWarnings("unchecked")
        List<String> skipped = (List<String>) driver.executeScript("""
                const found = [], headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')];
                let last = 0;
                for (const h of headings) {
                  const level = Number(h.tagName[1]);
                  if (level > last + 1 || (level === 1 && last > 0)) {
                    found.push('h' + level + ' "' + h.textContent.trim().slice(0, 40) + '" after h' + last);
                  }
                  last = level;
                }
                return found;
                """);
        if (!skipped.isEmpty()) {
            problems.add(name + " (" + url + "): headings out of order: " + skipped);
        }
    }

    private void reflow(String name, String url) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 320, "height", 640,
                "deviceScaleFactor", 1, "mobile", false));
        try {
            @SuppressWarnings("unchecked")
            List<String> wide = (List<String>) driver.executeScript("""
                    const root = document.documentElement;
                    if (root.scrollWidth <= root.clientWidth) return [];
                    const scrolls = e => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(e).overflowX);
                    const inScroller = e => { for (let p = e.parentElement; p; p = p.parentElement) {
                      if (scrolls(p)) return true; } return false; };
                    const wide = [...document.body.querySelectorAll('*')]
                      .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1 && !inScroller(e));
                    const innermost = wide.filter(e => !wide.some(o => o !== e && e.contains(o)));
                    return ['page ' + root.scrollWidth + 'px wide'].concat(innermost.slice(0, 5).map(e =>
                      e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                      + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/ +/).join('.') : '')
                      + ' to ' + Math.round(e.getBoundingClientRect().right) + 'px'));
                    """);
            if (!wide.isEmpty()) {
                problems.add(name + " (" + url + "): at 320 CSS px the page scrolls sideways: " + wide);
            }
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }
}
