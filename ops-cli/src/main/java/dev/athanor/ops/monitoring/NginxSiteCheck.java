package dev.athanor.ops.monitoring;

import dev.athanor.AthanorConfiguration;
import dev.athanor.monitoring.nginx.NginxSite;
import dev.athanor.ops.nginx.NginxCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ops doctor} checks of the nginx site installed on the server ({@code monitoring.nginxSite}): there,
 * proxying to the port the site listens on, accepted by {@code nginx -t}, and what this release renders; with
 * {@code nginx.pageFiles}, that nginx sends the pages of the slot it proxies to. Nothing here changes anything.
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
            String installed = Files.readString(site, StandardCharsets.UTF_8);
            String text = withUpstreamInclude(installed);
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
            findings.add(rendered(site, installed));
            if (target != null) {
                configuration.getNginx().getPageFiles().ifPresent(folder -> findings.addAll(pageFiles(folder,
                        target)));
            }
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
                                    + " config > " + site);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Finding.warn("nginx", "interrupted", "run ops doctor again");
        } finally {
            try (var files = Files.walk(scratch)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    /**
     * Whether the installed site is what this release's {@code ops nginx config} renders, comments aside: a release
     * that changes the rendering (the home page's file, a header, a location) reaches nginx only once it is rendered
     * again, and a hand edit is lost at the next render.
     */
    private Finding rendered(Path site, String installed) {
        String render = "ops nginx config > " + site + " && nginx -t && systemctl reload nginx";
        List<String> want;
        try {
            want = body(NginxCommand.site(configuration).render(""));
        } catch (RuntimeException e) {
            return Finding.warn("nginx", "could not render the site to compare it with " + site + ": " + e.getMessage(),
                    "check config.yml with ops nginx config");
        }
        List<String> have = body(installed);
        for (int i = 0; i < Math.max(have.size(), want.size()); i++) {
            String line = i < have.size() ? have.get(i) : "(the end)";
            String expected = i < want.size() ? want.get(i) : "(the end)";
            if (!line.equals(expected)) {
                return Finding.warn("nginx", site + " is not what this release's ops nginx config renders (first"
                        + " difference: `" + line + "` where it renders `" + expected + "`): rendered by an earlier"
                        + " release, or edited by hand", render);
            }
        }
        return Finding.ok("nginx", site + " is what this release's ops nginx config renders");
    }

    /** A rendered site's lines, stripped, without comments and blank lines (a reworded comment needs no reload). */
    private static List<String> body(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    /**
     * The page files nginx sends anonymous pages from: {@code live} links the folder of the slot nginx proxies to
     * (ops points it at each switch), that folder is there (the unit makes it), and the site, which owns the folder,
     * may empty the page-view log nginx appends to. None of these breaks a page (without a file the site answers, and a
     * stopped slot's folder is emptied), so each is a warning: every page then goes through the JVM, or the log grows.
     */
    private List<Finding> pageFiles(Path folder, String target) {
        List<Finding> findings = new ArrayList<>();
        Path link = folder.resolve(NginxSite.LIVE_PAGES);
        Optional<String> slot = slot(target);
        try {
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
                findings.add(Finding.warn("page-files", link + " is not a link: ops points a link there at each"
                        + " switch, and cannot while it is there", "mv " + link + " " + link + ".old"
                                + slot.map(name -> " && ln -sfn " + name + " " + link).orElse("")));
            } else if (!Files.isSymbolicLink(link)) {
                findings.add(slot.isEmpty() ? Finding.ok("page-files", "nginx proxies to " + target + ", no slot's,"
                        + " so no page files are live (" + link + " is absent): nginx asks the site for every page")
                        : Finding.warn("page-files", link + " is missing: nginx asks the site for every page instead"
                                + " of sending slot " + slot.get() + "'s page files", "ln -sfn " + slot.get() + " "
                                + link));
            } else {
                String linked = Files.readSymbolicLink(link).toString();
                if (slot.isEmpty()) {
                    findings.add(Finding.warn("page-files", link + " points at " + linked + ", but nginx proxies to "
                            + target + ", no slot's", "rm " + link));
                } else if (!folder.resolve(linked).toAbsolutePath().normalize().equals(folder.resolve(slot.get())
                        .toAbsolutePath().normalize())) {
                    findings.add(Finding.warn("page-files", link + " points at " + linked + ", but nginx proxies to"
                            + " slot " + slot.get() + " (" + target + "): anonymous visitors get the other release's"
                            + " pages while its instance runs, and then the site answers every page", "ln -sfn "
                                    + slot.get() + " " + link));
                } else if (!Files.isDirectory(link)) {
                    findings.add(Finding.warn("page-files", "slot " + slot.get() + "'s folder " + folder.resolve(
                            slot.get()) + " is missing: its instance keeps no page files (site.pageFiles), so nginx"
                            + " asks the site for every page", "install the release's unit, whose"
                                    + " ATHANOR_PAGE_FILES and CacheDirectory make it: cp /opt/athanor/current/systemd/"
                                    + "athanor@.service /etc/systemd/system/ && systemctl daemon-reload && ops"
                                    + " deploy RELEASE"));
                } else {
                    findings.add(Finding.ok("page-files", link + " points at slot " + slot.get() + ", which nginx"
                            + " proxies to"));
                }
            }
            Path log = folder.resolve(NginxSite.PAGE_VIEWS_LOG);
            if (Files.exists(log) && !siteMayWrite(folder, log)) {
                String group = Files.readAttributes(folder, PosixFileAttributes.class).group().getName();
                findings.add(Finding.warn("page-files", log + " is not writable by " + Files.getOwner(folder)
                        .getName() + ", the owner of " + folder + ": the site counts the page views in it but cannot"
                        + " empty it, so it only grows", "chgrp " + group + " " + log + " && chmod g+rw " + log));
            }
        } catch (java.io.IOException e) {
            findings.add(Finding.warn("page-files", "could not look at " + folder + ": " + e.getMessage(),
                    "run ops doctor as root"));
        }
        return findings;
    }

    /** Whether the owner of {@code folder} (the site's user) may write {@code log}: as owner, by group, or anyone. */
    private static boolean siteMayWrite(Path folder, Path log) throws java.io.IOException {
        PosixFileAttributes site = Files.readAttributes(folder, PosixFileAttributes.class);
        PosixFileAttributes file = Files.readAttributes(log, PosixFileAttributes.class);
        Set<PosixFilePermission> permissions = file.permissions();
        return file.owner().equals(site.owner()) && permissions.contains(PosixFilePermission.OWNER_WRITE)
                || file.group().equals(site.group()) && permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE);
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
        return slot(target).isPresent();
    }

    /** The slot ({@code a} or {@code b}) nginx proxies to on this machine, if any. */
    private Optional<String> slot(String target) {
        return sameAddress(target, "127.0.0.1:" + target.substring(target.lastIndexOf(':') + 1))
                ? configuration.getDeploy().slotOf(target) : Optional.empty();
    }

    private static boolean sameAddress(String configured, String expected) {
        return configured.equals(expected) || configured.replace("localhost", "127.0.0.1").equals(expected);
    }
}
