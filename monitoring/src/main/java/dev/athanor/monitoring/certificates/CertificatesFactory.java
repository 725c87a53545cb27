package dev.athanor.monitoring.certificates;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code certificates} section: the site's TLS certificates, issued and renewed by {@code ops certs} over ACME
 * (Let's Encrypt), and watched by the site's health check and {@code ops certs check}.
 *
 * <ul>
 *   <li>{@code domains}: the names of the site's certificate, first one names it; entries may hold several names
 *       separated by commas ({@code ATHANOR_DOMAINS="learn.example.com,www.learn.example.com"}). Empty: no
 *       certificate is managed (a laptop).
 *   <li>{@code directoryUrl}: the CA: {@code letsencrypt}, {@code letsencrypt-staging}, or any ACME directory URL.
 *   <li>{@code profile}: the CA's certificate profile ({@code classic}, {@code tlsserver}, {@code shortlived} at
 *       Let's Encrypt); empty for the CA's default. Checked against what the CA offers.
 *   <li>{@code email}: the account's contact address (optional).
 *   <li>{@code accountKey}: the ACME account's key, created on first use with mode 0600.
 *   <li>{@code directory}: where certificates live, one directory per certificate (see {@link CertificateFiles}).
 *   <li>{@code keyType}: the certificate's key, {@code ec-p256} (default), {@code ec-p384}, {@code rsa-2048} or
 *       {@code rsa-4096}; a new key for every certificate.
 *   <li>{@code challenge}: {@code webroot} (default): HTTP-01 answers are written under {@code webroot}, which nginx
 *       serves at {@code /.well-known/acme-challenge/}; {@code standalone}: ops answers on
 *       {@code responderHost:responderPort} itself (port 80, when nothing else listens there).
 *   <li>{@code reloadCommands}: run in order after a new pair is installed, each through {@code /bin/sh -c}; the
 *       first failure stops and is reported (default: {@code nginx -t}, {@code systemctl reload nginx}).
 *   <li>{@code servedAt}: {@code HOST:PORT} where the certificate is served ({@code 127.0.0.1:443}); after each
 *       renewal and in each check the served certificate is compared with the file. Empty: not compared.
 *   <li>{@code overdueGrace}: how long past the renewal point a certificate may go before it counts as overdue (1
 *       day, at most a sixth of its lifetime); {@code urgentTimeLeft}: below this much time left it is urgent (3
 *       days, at most a sixth of its lifetime).
 *   <li>{@code retryAfterFailure}, {@code maxRetryAfterFailure}: the back-off after a failed renewal, doubling from
 *       the first to the second (5 minutes, 6 hours); attempts go on for as long as it fails.
 *   <li>{@code trustedRoots}: a PEM file of extra root certificates to trust for the CA's own https (a private CA);
 *       empty for the JVM's.
 * </ul>
 */
public class CertificatesFactory {

    public static final String LETSENCRYPT = "letsencrypt";
    public static final String LETSENCRYPT_STAGING = "letsencrypt-staging";
    private static final Set<String> KEY_TYPES = Set.of("ec-p256", "ec-p384", "rsa-2048", "rsa-4096");

    @NotNull
    @JsonProperty
    private List<String> domains = new ArrayList<>();

    @NotEmpty
    @JsonProperty
    private String directoryUrl = LETSENCRYPT;

    @NotNull
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY) // an empty ${VARIABLE:-} reads as null
    private String profile = "";

    @NotNull
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY) // an empty ${VARIABLE:-} reads as null
    private String email = "";

    @NotEmpty
    @JsonProperty
    private String accountKey = "./data/certificates/account-key.pem";

    @NotEmpty
    @JsonProperty
    private String directory = "./data/certificates";

    @NotEmpty
    @JsonProperty
    private String keyType = "ec-p256";

    @NotEmpty
    @JsonProperty
    private String challenge = "webroot";

    @NotEmpty
    @JsonProperty
    private String webroot = "./data/acme-webroot";

    @NotEmpty
    @JsonProperty
    private String responderHost = "0.0.0.0";

    @Min(1)
    @Max(65535)
    @JsonProperty
    private int responderPort = 80;

    @NotNull
    @JsonProperty
    private List<String> reloadCommands = new ArrayList<>(List.of("nginx -t", "systemctl reload nginx"));

    @NotNull
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY) // an empty ${VARIABLE:-} reads as null
    private String servedAt = "127.0.0.1:443";

    @NotNull
    @JsonProperty
    private Duration overdueGrace = Duration.days(1);

    @NotNull
    @JsonProperty
    private Duration urgentTimeLeft = Duration.days(3);

    @NotNull
    @JsonProperty
    private Duration retryAfterFailure = Duration.minutes(5);

    @NotNull
    @JsonProperty
    private Duration maxRetryAfterFailure = Duration.hours(6);

    @NotNull
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY) // an empty ${VARIABLE:-} reads as null
    private String trustedRoots = "";

    /** The configured names, split and de-duplicated, blanks left out; empty when none is managed. */
    @JsonIgnore
    public List<String> getDomains() {
        Set<String> names = new LinkedHashSet<>();
        for (String entry : domains) {
            if (entry != null) {
                Arrays.stream(entry.split("[,\\s]+")).map(String::strip).filter(name -> !name.isEmpty())
                        .map(name -> name.toLowerCase(Locale.ROOT)).forEach(names::add);
            }
        }
        return List.copyOf(names);
    }

    /** The ACME directory: Let's Encrypt's by name, or the URL as given. */
    @JsonIgnore
    public URI getDirectoryUri() {
        return switch (directoryUrl.strip()) {
            case LETSENCRYPT -> URI.create("https://acme-v02.api.letsencrypt.org/directory");
            case LETSENCRYPT_STAGING -> URI.create("https://acme-staging-v02.api.letsencrypt.org/directory");
            default -> URI.create(directoryUrl.strip());
        };
    }

    @JsonIgnore
    @ValidationMethod(message = "certificates.directoryUrl must be letsencrypt, letsencrypt-staging or an https URL")
    public boolean isDirectoryUrlValid() {
        try {
            URI uri = getDirectoryUri();
            return uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @JsonIgnore
    @ValidationMethod(message = "certificates.domains must be DNS names, such as learn.example.com")
    public boolean isDomainsValid() {
        return getDomains().stream().allMatch(name -> name.matches(
                "(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"));
    }

    @JsonIgnore
    @ValidationMethod(message = "certificates.keyType must be ec-p256, ec-p384, rsa-2048 or rsa-4096")
    public boolean isKeyTypeValid() {
        return KEY_TYPES.contains(keyType);
    }

    @JsonIgnore
    @ValidationMethod(message = "certificates.challenge must be webroot or standalone")
    public boolean isChallengeValid() {
        return "webroot".equals(challenge) || "standalone".equals(challenge);
    }

    @JsonIgnore
    @ValidationMethod(message = "certificates.servedAt must be HOST:PORT or empty")
    public boolean isServedAtValid() {
        try {
            getServedAt();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Where the certificate is served, to compare with the file; empty when not compared. */
    @JsonIgnore
    public Optional<String> getServedAt() {
        if (servedAt.isBlank()) {
            return Optional.empty();
        }
        ServedCertificate.Endpoint.parse(servedAt.strip(), "localhost");
        return Optional.of(servedAt.strip());
    }

    public String getProfile() {
        return profile.strip();
    }

    public String getEmail() {
        return email.strip();
    }

    public Path getAccountKey() {
        return Path.of(accountKey);
    }

    public Path getDirectory() {
        return Path.of(directory);
    }

    public String getKeyType() {
        return keyType;
    }

    /** True for the built-in responder, false for the webroot. */
    @JsonIgnore
    public boolean isStandalone() {
        return "standalone".equals(challenge);
    }

    public Path getWebroot() {
        return Path.of(webroot);
    }

    public String getResponderHost() {
        return responderHost;
    }

    public int getResponderPort() {
        return responderPort;
    }

    public List<String> getReloadCommands() {
        return reloadCommands.stream().filter(command -> command != null && !command.isBlank()).toList();
    }

    public java.time.Duration getOverdueGrace() {
        return overdueGrace.toJavaDuration();
    }

    public java.time.Duration getUrgentTimeLeft() {
        return urgentTimeLeft.toJavaDuration();
    }

    public java.time.Duration getRetryAfterFailure() {
        return retryAfterFailure.toJavaDuration();
    }

    public java.time.Duration getMaxRetryAfterFailure() {
        return maxRetryAfterFailure.toJavaDuration();
    }

    /** Extra roots to trust for the CA's https, if any. */
    @JsonIgnore
    public Optional<Path> getTrustedRoots() {
        return trustedRoots.isBlank() ? Optional.empty() : Optional.of(Path.of(trustedRoots.strip()));
    }

    /** Every certificate under {@link #getDirectory()}. */
    public List<CertificateFiles> managed() throws java.io.IOException {
        return CertificateFiles.managedIn(getDirectory());
    }

    /**
     * How {@code certificate} stands at {@code now} with these thresholds, its recorded renewal window and whether its
     * renewal is failing.
     */
    public CertificateStanding standing(CertificateDetails certificate, RenewalState state, java.time.Instant now) {
        return CertificateStanding.of(certificate, state.window(certificate), now, getOverdueGrace(),
                getUrgentTimeLeft(), state.renewalFailing());
    }

    /** Settings in code, for tests: a map of key to value as config.yml would give them. */
    public static CertificatesFactory fromMap(java.util.Map<String, Object> values) {
        return new com.fasterxml.jackson.databind.ObjectMapper().convertValue(values, CertificatesFactory.class);
    }
}
