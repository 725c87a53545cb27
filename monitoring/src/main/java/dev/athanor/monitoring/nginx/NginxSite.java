package dev.athanor.monitoring.nginx;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The site's nginx configuration, rendered from settings: a file for {@code /etc/nginx/sites-available/} that the
 * stock {@code nginx.conf} includes inside {@code http}. Plain http answers the ACME challenge from the webroot and
 * redirects everything else to https; https (HTTP/2) serves the hashed assets from disk with year-long immutable
 * caching, sends protected videos from the media directory when the site says so ({@code X-Accel-Redirect} to an
 * internal location), compresses text, and proxies the rest, {@code /health} included, to the site with sensible
 * timeouts, with the site's own body limits per location, and with headers the site can trust (the client address,
 * the scheme, the country) while a visitor's own forwarding headers are dropped. nginx names no version. The upstream
 * and the maintenance switch are {@link NginxIncludes} that ops rewrites while nginx runs; the https server's body
 * ({@link #serverBody}) is also what the local nginx of {@link LocalNginx} serves over plain http.
 *
 * @param certificate the full chain; {@code key} its private key ({@code CERT_DIR/NAME/current/...})
 * @param acmeWebroot the directory holding {@code .well-known/acme-challenge/}
 * @param mediaDirectory the local media files, served under {@code accelPrefix} when the site redirects there
 * @param logDirectory where {@code athanor-access.log} (JSON lines, as {@code ops logs nginx} reads them) and
 *     {@code athanor-error.log} go
 * @param countryHeader the header the site reads the visitor's country from ({@code billing.countryHeader})
 * @param bodySizes the request bodies the site takes, everywhere and on the paths that take more
 * @param pageHeaders the security headers the site sends with a page over https, sent by nginx with the pages it
 *     answers from the page files ({@code nginx.pageFiles})
 */
public record NginxSite(NginxFactory settings, List<String> serverNames, Path certificate,
        Path key, Path acmeWebroot, Path mediaDirectory, String accelPrefix, Path logDirectory,
        String countryHeader, BodySizes bodySizes, Map<String, String> pageHeaders) {

    /** The log in {@code nginx.pageFiles} nginx appends page views to (the site's {@code NginxPageViews} reads it). */
    public static final String PAGE_VIEWS_LOG = "page-views.log";

    /** The link in {@code nginx.pageFiles} that ops points at the live slot's folder. */
    public static final String LIVE_PAGES = "live";

    /** The text types nginx compresses (text/html always is). */
    private static final String TEXT_TYPES = "text/css text/plain text/xml text/javascript application/javascript"
            + " application/json application/xml application/atom+xml application/rss+xml image/svg+xml";
    /** The internal location of the maintenance page, where nginx's own 503s go. */
    private static final String PAGE_LOCATION = "/athanor-maintenance.html";

    /** The configuration file's text. */
    public String render(String header) {
        StringBuilder conf = new StringBuilder();
        header.lines().forEach(line -> conf.append("# ").append(line).append('\n'));
        String names = String.join(" ", serverNames);
        conf.append('\n').append(httpContext()).append("""

                # Plain http: the ACME challenge (certificate issue and renewal), and a redirect to https for the rest.
                server {
                %s
                    server_name %s;
                    access_log %s athanor_json;
                    error_log %s warn;
                    server_tokens off;

                    location ^~ /.well-known/acme-challenge/ {
                        root %s;
                        default_type text/plain;
                        try_files $uri =404;
                    }
                    location / {
                        return 301 https://$host$request_uri;
                    }
                }

                server {
                %s
                    server_name %s;
                    access_log %s athanor_json;
                    error_log %s warn;
                    server_tokens off;

                    ssl_certificate %s;
                    ssl_certificate_key %s;
                    ssl_protocols TLSv1.2 TLSv1.3;
                    ssl_prefer_server_ciphers off;
                    ssl_session_cache shared:athanor_tls:10m;
                    ssl_session_timeout 1d;
                    ssl_session_tickets off;
                %s}
                """.formatted(listen(settings.getHttpPort(), ""), names, log("athanor-access.log"),
                log("athanor-error.log"), acmeWebroot.toAbsolutePath(), listen(settings.getHttpsPort(), " ssl http2"),
                names, log("athanor-access.log"), log("athanor-error.log"), certificate.toAbsolutePath(),
                key.toAbsolutePath(), serverBody(log("athanor-access.log"))));
        return conf.toString();
    }

    /** What goes into {@code http} before the servers: the two includes and the access log's format. */
    String httpContext() {
        NginxIncludes includes = settings.includes();
        return """
                # The site's address(es) and the maintenance switch: files in nginx.includeDirectory that ops rewrites
                # while nginx runs (ops deploy, ops rollback, ops maintenance), then tests and reloads.
                include %s;
                include %s;

                # One JSON line per request, read by `ops logs nginx`.
                log_format athanor_json escape=json '{"timestamp":$msec,"method":"$request_method","uri":"$request_uri",'
                    '"status":$status,"bytesSent":$body_bytes_sent,"requestSeconds":$request_time,'
                    '"upstreamSeconds":"$upstream_response_time","remoteAddress":"$remote_addr","host":"$host",'
                    '"referer":"$http_referer","userAgent":"$http_user_agent","protocol":"$server_protocol"}';
                """.formatted(includes.upstream(), includes.maintenance()) + settings.getPageFiles().map(folder -> """

                # Where a request's page file may be (nginx.pageFiles): the live slot's folder for a GET or HEAD
                # without a query from a browser that sends no session cookie (the site's own test), else a folder
                # that never exists, so that the site answers.
                map $http_cookie $athanor_session_cookie {
                    "~(__Host-session|session)=" 1;
                    default "";
                }
                log_format athanor_page_view '$request_uri';
                map "$request_method:$athanor_session_cookie:$args" $athanor_page_files {
                    "GET::" %1$s;
                    "HEAD::" %1$s;
                    default %2$s;
                }
                """.formatted(folder.toAbsolutePath().resolve(LIVE_PAGES), folder.toAbsolutePath().resolve(".none")))
                .orElse("");
    }

    /**
     * The root location: proxied to the site, or first tried in the page files; a page sent from a file is logged to
     * {@code accessLog} as every request is, and sent to the site as a page view.
     */
    private String rootLocations(String accessLog) {
        if (settings.getPageFiles().isEmpty()) {
            return """
                        location / {
                            proxy_pass http://athanor_site;
                        }
                    """;
        }
        StringBuilder page = new StringBuilder("""
                        # Every file here is a page: by type, not by extension, which the home page's (/.html)
                        # lacks for nginx (a name's leading dot starts no extension).
                        types { }
                        default_type text/html;
                        charset utf-8;
                        gzip_static on;
                        gzip_vary off;
                        sendfile on;
                        tcp_nopush on;
                        # Open files kept, but looked at again every second: a page the site deletes or replaces
                        # is sent at most a second longer.
                        open_file_cache max=10000 inactive=60s;
                        open_file_cache_valid 1s;
                        # A page view for the site, which nginx answered without it: a line in the log the site
                        # reads, written 64 KB or a second at a time (a write per page cost a fifth of the speed).
                        access_log %1$s athanor_page_view buffer=64k flush=1s;
                        access_log %2$s athanor_json;
                """.formatted(settings.getPageFiles().orElseThrow().toAbsolutePath().resolve(PAGE_VIEWS_LOG),
                        accessLog));
        if (settings.isBrotli()) {
            page.append("        brotli_static on;\n");
        }
        page.append("        add_header Cache-Control \"public, no-cache\" always;\n");
        page.append("        add_header Vary \"Accept-Encoding, Cookie\" always;\n");
        pageHeaders.forEach((name, value) -> page.append("        add_header ").append(name).append(" \"")
                .append(value.replace("\"", "\\\"")).append("\" always;\n"));
        return """
                    # An anonymous page from the live slot's page files when there is one (nginx.pageFiles: PATH.html,
                    # the home page's /.html), with the headers the site sends; everything else, and a page without a
                    # file, from the site.
                    location / {
                        root $athanor_page_files;
                        try_files $uri.html @site;
                %s    }
                """.formatted(page);
    }

    /** The site's server after its names, logs and TLS: maintenance, limits, compression, locations, proxying. */
    String serverBody(String accessLog) {
        String country = settings.getCountryVariable().isEmpty() ? "\"\"" : settings.getCountryVariable();
        return """

                    # Maintenance (ops maintenance on): nginx answers everyone but the operator's addresses itself, with
                    # a 503 and the page below. Set anew on each pass, so the page's own internal redirect gets through.
                    set $athanor_refused $athanor_maintenance;
                    if ($uri = %1$s) {
                        set $athanor_refused "";
                    }
                    if ($athanor_refused = on) {
                        return 503;
                    }
                    # nginx's own 503s only: the site's own 503 pages pass through untouched (no proxy_intercept_errors).
                    # A URI, not a named location, so that nginx answers a POST with the page too (as a GET).
                    error_page 503 %1$s;

                    # The site's own limit (site.requestBodyLimit); larger only below, where the site takes more.
                    client_max_body_size %2$s;
                    client_body_timeout 60s;
                    send_timeout 60s;
                    keepalive_timeout 65s;

                    gzip on;
                    gzip_vary on;
                    gzip_proxied any;
                    gzip_comp_level 5;
                    gzip_min_length 256;
                    gzip_types %3$s;
                %4$s
                    location ^~ /.well-known/acme-challenge/ {
                        root %5$s;
                        default_type text/plain;
                        try_files $uri =404;
                    }

                    # The site's hashed assets (ops nginx assets): a new content, a new name, so cached for a year.
                    location ^~ /assets/ {
                        root %6$s;
                        gzip_static on;
                        access_log off;
                        add_header Cache-Control "public, max-age=31536000, immutable" always;
                        add_header X-Content-Type-Options nosniff always;
                        try_files $uri @site;
                    }

                    # Videos, after the site has checked access and answered with X-Accel-Redirect.
                    location ^~ %7$s {
                        internal;
                        alias %8$s/;
                        sendfile on;
                        tcp_nopush on;
                    }

                    location = /health {
                        # 503 during maintenance for the operator too: uptime monitors must see it.
                        if ($athanor_maintenance) {
                            return 503;
                        }
                        proxy_pass http://athanor_site;
                        proxy_read_timeout 10s;
                    }

                    location = %1$s {
                        internal;
                        root %9$s;
                        try_files /maintenance.html =503;
                        types { }
                        default_type "text/html; charset=utf-8";
                        etag off;
                        add_header Retry-After 60 always;
                        add_header Cache-Control "no-store" always;
                    }

                %15$s
                    location @site {
                        proxy_pass http://athanor_site;
                    }
                %10$s
                    # The headers for every location above that proxies. A location with a proxy_set_header of its own
                    # would lose all of these, so none has one.
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $host;
                    # Replaced, not appended: the site trusts these, so a visitor must not be able to supply them.
                    proxy_set_header X-Forwarded-For $remote_addr;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header X-Real-IP $remote_addr;
                    # Dropped (an empty value is not sent): a visitor's word on their address, host or port.
                    proxy_set_header Forwarded "";
                    proxy_set_header X-Forwarded-Host "";
                    proxy_set_header X-Forwarded-Port "";
                    proxy_set_header X-Forwarded-Server "";
                    # The visitor's country for regional prices (nginx.countryVariable; empty without one).
                    proxy_set_header %11$s %12$s;
                    proxy_connect_timeout 5s;
                    proxy_send_timeout 60s;
                    proxy_read_timeout %13$ds;
                    # A request that fails before any of the answer arrived (a kept-alive connection the old instance
                    # closed while draining, a refused connection) is tried again on a new connection or the next
                    # server rather than answered 502. nginx does so for idempotent requests only: a POST, PATCH or
                    # LOCK that reached a server is never sent twice (that would take "non_idempotent").
                    proxy_next_upstream error timeout;
                    proxy_next_upstream_tries %14$d;
                """.formatted(PAGE_LOCATION, BodySizes.nginxSize(bodySizes.everywhere()), TEXT_TYPES, brotli(),
                acmeWebroot.toAbsolutePath(), settings.getStaticRoot().toAbsolutePath(), prefix(),
                mediaDirectory.toAbsolutePath(), settings.getIncludeDirectory().toAbsolutePath(), largerBodies(),
                countryHeader, country, settings.getProxyReadTimeoutSeconds(), 3 + settings.getPeerServers(),
                rootLocations(accessLog));
    }

    private String listen(int port, String options) {
        String address = settings.getListenAddress();
        if (!address.isEmpty()) {
            return "    listen " + (address.contains(":") ? "[" + address + "]" : address) + ":" + port + options + ";";
        }
        String lines = "    listen " + port + options + ";";
        return settings.isIpv6() ? lines + "\n    listen [::]:" + port + options + ";" : lines;
    }

    private String log(String name) {
        return logDirectory.toAbsolutePath().resolve(name).toString();
    }

    private String prefix() {
        String prefix = accelPrefix.startsWith("/") ? accelPrefix : "/" + accelPrefix;
        return prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** An exact location for each path that takes larger bodies than the rest. */
    private String largerBodies() {
        StringBuilder locations = new StringBuilder();
        for (BodySizes.Larger larger : bodySizes.larger()) {
            locations.append("\n    location = ").append(larger.path()).append(" {\n        client_max_body_size ")
                    .append(BodySizes.nginxSize(larger.bytes())).append(";\n");
            if (larger.streamed()) {
                locations.append("        # Passed on as it arrives: the site refuses it at once from anyone it does"
                        + " not take it from,\n        # so no visitor can make nginx store a large body on its disk.\n"
                        + "        proxy_request_buffering off;\n");
            }
            locations.append("        proxy_pass http://athanor_site;\n    }\n");
        }
        return locations.toString();
    }

    private String brotli() {
        return settings.isBrotli() ? "\n    brotli on;\n    brotli_comp_level 5;\n    brotli_types " + TEXT_TYPES
                + ";\n" : "";
    }
}
