package dev.athanor.ops.monitoring;

import dev.athanor.AthanorConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ops doctor} checks of the nginx site installed on the server ({@code monitoring.nginxSite}): there,
 * proxying to the port the site listens on, and accepted by {@code nginx -t}. Nothing here changes anything.
 */
final class NginxSiteCheck {

    private final AthanorConfiguration configuration;

    NginxSiteCheck(AthanorConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The installed nginx site: present, valid ({@code nginx -t} around it), proxying to the site's port. */
    List<Finding> findings() {
        List<Finding> findings = new ArrayList<>();
        Path site = configuration.getMonitoring().getNginxSite();
        String render = "ops nginx config > /etc/nginx/sites-available/athanor.conf && ln -sf"
                + " ../sites-available/athanor.conf /etc/nginx/sites-enabled/ && nginx -t && systemctl reload nginx";
        if (!Files.isReadable(site)) {
            findings.add(Finding.fail("nginx", "no site configuration at " + site, render));
            return findings;
        }
        try {
            String text = withUpstreamInclude(Files.readString(site, StandardCharsets.UTF_8));
            Matcher upstream = Pattern.compile("upstream\\s+\\S+\\s*\\{[^}]*?server\\s+([^\\s;]+)").matcher(text);
            Matcher proxy = Pattern.compile("proxy_pass\\s+https?://([^\\s;/]+)").matcher(text);
            String target = upstream.find() ? upstream.group(1) : proxy.find() ? proxy.group(1) : null;
            String expected = SiteAddresses.siteUrl(configuration).map(url -> url.substring("http://".length()))
                    .orElse(null);
            if (target == null) {
                findings.add(Finding.fail("nginx", site + " does not proxy to the site", render));
            } else if (expected != null && !sameAddress(target, expected) && !isSlot(target)) {
                findings.add(Finding.fail("nginx", site + " proxies to " + target + " but the site listens on "
                        + expected, render));
            } else {
                findings.add(Finding.ok("nginx", site + " proxies to " + target));
            }
            findings.add(nginxSyntax(site));
        } catch (java.io.IOException e) {
            findings.add(Finding.fail("nginx", site + ": " + e.getMessage(), render));
        }
        return findings;
    }

    private Finding nginxSyntax(Path site) throws java.io.IOException {
        if (ServerChecks.run(List.of("nginx", "-v")).isEmpty()) {
            return Finding.fail("nginx", "nginx is not installed", "apt-get install nginx");
        }
        Path scratch = Files.createTempDirectory("athanor-doctor-nginx");
        try {
            Path main = scratch.resolve("nginx.conf");
            Files.writeString(main, "pid " + scratch.resolve("nginx.pid") + ";\nerror_log " + scratch.resolve(
                    "error.log") + ";\nevents {}\nhttp {\n    include /etc/nginx/mime.types;\n    include " + site
                    + ";\n}\n");
            Process check = new ProcessBuilder("nginx", "-t", "-q", "-c", main.toString(), "-p", scratch.toString())
                    .redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!check.waitFor(30, TimeUnit.SECONDS)) {
                check.destroyForcibly();
                return Finding.fail("nginx", "nginx -t did not finish", "run nginx -t yourself");
            }
            return check.exitValue() == 0 ? Finding.ok("nginx", "nginx -t passes on " + site)
                    : Finding.fail("nginx", "nginx -t fails on " + site + ": " + output.replace(main.toString(),
                            "nginx.conf").lines().filter(line -> line.contains("emerg") || line.contains("error"))
                            .findFirst().orElse(output), "fix the line it names, or render it again: ops nginx"
                                    + " config -o " + site);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Finding.warn("nginx", "interrupted", "run ops doctor again");
        } finally {
            try (var files = Files.walk(scratch)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    /** The site's text with the upstream include it names ({@code ops nginx config} renders one) appended. */
    private static String withUpstreamInclude(String text) throws java.io.IOException {
        Matcher include = Pattern.compile("(?m)^\\s*include\\s+(\\S*athanor-upstream\\.conf)\\s*;").matcher(text);
        if (include.find() && Files.isReadable(Path.of(include.group(1)))) {
            return text + "\n" + Files.readString(Path.of(include.group(1)), StandardCharsets.UTF_8);
        }
        return text;
    }

    /** Whether nginx proxies to one of the two slots {@code ops deploy} runs releases in. */
    private boolean isSlot(String target) {
        return java.util.stream.Stream.of("a", "b").map(slot -> "127.0.0.1:" + configuration.getDeploy().slot(slot)
                .getPort()).anyMatch(slot -> sameAddress(target, slot));
    }

    private static boolean sameAddress(String configured, String expected) {
        return configured.equals(expected) || configured.replace("localhost", "127.0.0.1").equals(expected);
    }
}
