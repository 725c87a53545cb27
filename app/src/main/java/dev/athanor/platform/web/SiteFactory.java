package dev.athanor.platform.web;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code site} section: what the site calls itself and how it is reached.
 *
 * <ul>
 *   <li>{@code name}, {@code tagline}: shown in every page's header and title.
 *   <li>{@code baseUrl} (required): the public address, such as {@code https://learn.example.com}; used for links in
 *       mail, feeds and canonical tags.
 *   <li>{@code contentSecurityPolicy}: the policy sent with every response; the default allows only the site's own
 *       scripts, styles, images and media, no inline script, no plugins ({@code object-src 'none'}), no
 *       {@code <base>} element ({@code base-uri 'none'}), forms only to the site, and no framing.
 *   <li>{@code hstsMaxAge}: how long browsers keep to https once they have seen the site over https.
 *   <li>{@code pageCacheSize}: memory for anonymous pages, plain and gzipped (default 64 MiB).
 *   <li>{@code pageCacheLifetime}: the longest a page stays cached (default 15 minutes); content changes drop
 *       pages at once, and an item scheduled for later publication within 15 seconds of its moment
 *       (the content context's publication clock): this is only a safety net. A page past it is rendered again,
 *       or served as it is while the database is unreachable.
 *   <li>{@code pageFiles}: a folder where the page cache also keeps its HTML pages as files, for nginx to serve to
 *       anonymous visitors itself (default empty: none); see {@link PageFiles}. One folder per instance: each empties
 *       its own when it starts and stops.
 *   <li>{@code logCachedPages}: whether page views answered from memory (page-cache hits; signed-in lesson, course
 *       and account pages) get a request log line (default false: nginx logs them, and the site counts them as
 *       page views).
 *   <li>{@code requestBodyLimit}: the largest body a form or JSON request may have (default 64 KiB); larger ones are
 *       answered 413 before they are read.
 *   <li>{@code uploadLimit}: the largest content upload (a zip) an operator may send to the admin pages (default
 *       1 GiB); it streams to disk, never to the heap.
 *   <li>{@code trustedProxies}: the addresses (or CIDR ranges) whose {@code X-Forwarded-For} and
 *       {@code X-Forwarded-Proto} the site believes (default loopback, where nginx runs); from anywhere else, and
 *       for every other forwarding header, the connection's own address and scheme count.
 * </ul>
 */
public class SiteFactory {

    @NotEmpty
    @JsonProperty
    private String name = "Athanor";

    @NotNull
    @JsonProperty
    private String tagline = "";

    @NotNull
    @JsonProperty
    private String baseUrl;

    @NotEmpty
    @JsonProperty
    private String contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; media-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none';"
            + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @NotNull
    @JsonProperty
    private Duration hstsMaxAge = Duration.days(365);

    @NotNull
    @JsonProperty
    private DataSize pageCacheSize = DataSize.mebibytes(64);

    @NotNull
    @JsonProperty
    private Duration pageCacheLifetime = Duration.minutes(15);

    @NotNull
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    private String pageFiles = "";

    @JsonProperty
    private boolean logCachedPages = false;

    @NotNull
    @JsonProperty
    private DataSize requestBodyLimit = DataSize.kibibytes(64);

    @NotNull
    @JsonProperty
    private DataSize uploadLimit = DataSize.gibibytes(1);

    @NotNull
    @JsonProperty
    private List<String> trustedProxies = List.of("127.0.0.1/32", "::1/128");

    /** The body limits every request gets, before the contexts add theirs. */
    public BodyLimits bodyLimits() {
        return BodyLimits.of(requestBodyLimit.toBytes());
    }

    public DataSize getUploadLimit() {
        return uploadLimit;
    }

    List<String> getTrustedProxies() {
        return trustedProxies;
    }

    @JsonIgnore
    @ValidationMethod(message = "site.trustedProxies must be IP addresses or CIDR ranges, such as 127.0.0.1/32")
    public boolean isTrustedProxiesValid() {
        try {
            new TrustedProxies(trustedProxies == null ? List.of() : trustedProxies);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public DataSize getPageCacheSize() {
        return pageCacheSize;
    }

    public Duration getPageCacheLifetime() {
        return pageCacheLifetime;
    }

    /** The folder for the page cache's files, or empty for none. */
    public Optional<Path> getPageFiles() {
        return pageFiles.isBlank() ? Optional.empty() : Optional.of(Path.of(pageFiles));
    }

    public boolean isLogCachedPages() {
        return logCachedPages;
    }

    public String getContentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    public Duration getHstsMaxAge() {
        return hstsMaxAge;
    }

    @JsonIgnore
    @ValidationMethod(message = "site.baseUrl must be an absolute http or https URL,"
            + " such as https://learn.example.com")
    public boolean isBaseUrlAbsolute() {
        if (baseUrl == null) {
            return true; // reported by @NotNull
        }
        try {
            URI uri = new URI(baseUrl);
            return uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    public Site build() {
        String withoutSlash = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return new Site(name, tagline, URI.create(withoutSlash));
    }
}
