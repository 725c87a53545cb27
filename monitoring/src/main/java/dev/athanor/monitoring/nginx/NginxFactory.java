package dev.athanor.monitoring.nginx;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code nginx} section: what {@code ops nginx config} puts into the site's nginx configuration. The rest comes
 * from the sections that own it: the names from {@code certificates.domains} (or {@code site.baseUrl}), the
 * certificate and ACME webroot from {@code certificates}, the protected media from {@code media}, the site's port from
 * {@code server}, the log directory from {@code monitoring.nginxLogDirectory}, the request body sizes from the site's
 * own limits ({@code site.requestBodyLimit}, {@code site.uploadLimit}).
 *
 * <ul>
 *   <li>{@code serverNames}: names to answer for; empty (the default) for {@code certificates.domains}, else the host
 *       of {@code site.baseUrl}.
 *   <li>{@code listenAddress}: empty to listen on every address (IPv4, and IPv6 when {@code ipv6}); an address to
 *       listen on that one only. {@code httpPort}, {@code httpsPort}: 80 and 443.
 *   <li>{@code staticRoot}: where {@code ops nginx assets} exports the site's hashed assets, served by nginx as
 *       {@code /assets/...} ({@code ./data/static}).
 *   <li>{@code pageFiles}: the folder holding each release slot's page files ({@code site.pageFiles}, which the
 *       unit sets to {@code /var/cache/athanor/pages/SLOT}): nginx then answers an anonymous GET or HEAD without a
 *       query from the live slot's files ({@code pageFiles/live}, a link ops points at the live slot) and asks the
 *       site only when there is none. It appends each page it sends to {@code pageFiles/page-views.log}, buffered,
 *       where the site counts them. Empty (the default): nginx asks the site for every page.
 *   <li>{@code countryVariable}: the nginx variable that holds the visitor's country, sent to the site in the
 *       header named by {@code billing.countryHeader} for regional prices, such as
 *       {@code $geoip2_data_country_code} (the GeoIP2 module) or {@code $http_cf_ipcountry} (behind Cloudflare).
 *       nginx always sets the header, to empty without a variable, so a visitor cannot supply their own.
 *   <li>{@code proxyReadTimeout}: how long nginx waits for the site's answer (60 seconds).
 *   <li>{@code brotli}: also compress with brotli, and send the page files' Brotli copies (needs the ngx_brotli
 *       modules, {@code libnginx-mod-http-brotli-filter} and {@code -static}
 *       on Ubuntu); gzip is always on.
 *   <li>{@code includeDirectory}: the files the site's configuration includes and ops rewrites while nginx runs
 *       ({@link NginxIncludes}): the upstream (switched by {@code ops deploy}), the maintenance switch and its page
 *       ({@code ./data/nginx}).
 *   <li>{@code operatorAddresses}: addresses or CIDR ranges that still reach the site in maintenance mode
 *       (127.0.0.1 and ::1).
 *   <li>{@code peers}: the other nodes' site instances, when the site runs on more than one server
 *       (docs/scale-out.md): {@code address:port}, or a bare address for both of its release slots' ports
 *       ({@code deploy.slotA}, {@code deploy.slotB}); IP addresses only. nginx's upstream names this node's live
 *       release first, then these; the site believes their forwarding headers; none by default.
 *   <li>{@code testCommand}, {@code reloadCommand}: how ops checks and reloads the system's nginx after rewriting an
 *       include ({@code nginx -t}, {@code systemctl reload nginx}); {@code pidFile}: the system nginx's pid file,
 *       read to wait until the reload has taken effect ({@code /run/nginx.pid}). Local mode ({@code deploy.mode})
 *       runs an nginx of its own and uses none of the three.
 * </ul>
 */
public class NginxFactory {

    /**
     * An IPv4 address or a bracketed IPv6 address, with an optional port. No host names: nginx resolves those when it
     * starts, and one that does not resolve would keep it from starting at all.
     */
    private static final Pattern PEER = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]+\\]|\\d{1,3}(\\.\\d{1,3}){3})(:([1-9]\\d{0,3}|[1-5]\\d{4}|6[0-4]\\d{3}"
            + "|65[0-4]\\d{2}|655[0-2]\\d|6553[0-5]))?");

    @NotNull
    @JsonProperty
    private List<String> serverNames = new ArrayList<>();

    @NotNull
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    private String listenAddress = "";

    @JsonProperty
    private boolean ipv6 = true;

    @Min(1)
    @Max(65535)
    @JsonProperty
    private int httpPort = 80;

    /**
     * {@code clientMaxBodySize} is no longer read: nginx's body sizes follow the site's {@code site.requestBodyLimit}
     * and {@code site.uploadLimit}. Accepted, with a warning, so a config file written for an older release loads.
     */
    @JsonProperty("clientMaxBodySize")
    private void ignoreClientMaxBodySize(Object ignored) {
        org.slf4j.LoggerFactory.getLogger(NginxFactory.class).warn("nginx.clientMaxBodySize is ignored: nginx's"
                + " body sizes follow site.requestBodyLimit and site.uploadLimit; remove the key");
    }

    @Min(1)
    @Max(65535)
    @JsonProperty
    private int httpsPort = 443;

    @NotEmpty
    @JsonProperty
    private String staticRoot = "./data/static";

    @NotNull
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    private String pageFiles = "";

    @NotNull
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    private String countryVariable = "";

    @NotNull
    @JsonProperty
    private Duration proxyReadTimeout = Duration.seconds(60);

    @JsonProperty
    private boolean brotli = false;

    @NotNull
    @JsonProperty
    private Path includeDirectory = Path.of("./data/nginx");

    @NotNull
    @JsonProperty
    private List<String> operatorAddresses = new ArrayList<>(List.of("127.0.0.1", "::1"));

    @NotNull
    @JsonProperty
    private List<String> peers = new ArrayList<>();

    @NotEmpty
    @JsonProperty
    private List<String> testCommand = new ArrayList<>(List.of("nginx", "-t"));

    @NotEmpty
    @JsonProperty
    private List<String> reloadCommand = new ArrayList<>(List.of("systemctl", "reload", "nginx"));

    @NotNull
    @JsonProperty
    private Path pidFile = Path.of("/run/nginx.pid");

    @JsonIgnore
    public List<String> getServerNames() {
        return serverNames.stream().filter(Objects::nonNull).map(String::strip).filter(name -> !name.isEmpty())
                .toList();
    }

    @JsonIgnore
    @ValidationMethod(message = "nginx.countryVariable must be empty or an nginx variable such as"
            + " $geoip2_data_country_code")
    public boolean isCountryVariableValid() {
        return countryVariable.isBlank() || countryVariable.strip().matches("\\$[a-z0-9_]+");
    }

    @JsonIgnore
    @ValidationMethod(message = "nginx.operatorAddresses must be IP addresses or CIDR ranges, such as 203.0.113.7 or"
            + " 2001:db8::/32")
    public boolean isOperatorAddressesValid() {
        return operatorAddresses.stream().allMatch(NginxIncludes::isAddress);
    }

    @JsonIgnore
    @ValidationMethod(message = "nginx.peers must be IP addresses with or without a port, such as 10.0.0.2,"
            + " 10.0.0.2:8080 or [fd00::2]:8080 (no host names: nginx would not start while one does not resolve)")
    public boolean isPeersValid() {
        return peers.stream().allMatch(peer -> peer != null && PEER.matcher(peer.strip()).matches());
    }

    public String getListenAddress() {
        return listenAddress.strip();
    }

    public boolean isIpv6() {
        return ipv6;
    }

    public int getHttpPort() {
        return httpPort;
    }

    public int getHttpsPort() {
        return httpsPort;
    }

    public Path getStaticRoot() {
        return Path.of(staticRoot);
    }

    /** The folder of the slots' page files, when nginx answers pages from them. */
    public java.util.Optional<Path> getPageFiles() {
        return pageFiles.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(pageFiles.strip()));
    }

    public String getCountryVariable() {
        return countryVariable.strip();
    }

    public long getProxyReadTimeoutSeconds() {
        return Math.max(1, proxyReadTimeout.toSeconds());
    }

    public boolean isBrotli() {
        return brotli;
    }

    public Path getIncludeDirectory() {
        return includeDirectory;
    }

    /** The includes in {@code includeDirectory}. */
    public NginxIncludes includes() {
        return new NginxIncludes(includeDirectory);
    }

    public List<String> getOperatorAddresses() {
        return operatorAddresses.stream().filter(Objects::nonNull).map(String::strip).toList();
    }

    /** The other nodes' site instances, as configured ({@code address:port} or a bare address). */
    public List<String> getPeers() {
        return peers.stream().map(String::strip).toList();
    }

    /** The other nodes' addresses, without ports or brackets: the nginx that may forward visitors to this node. */
    @JsonIgnore
    public List<String> getPeerAddresses() {
        return getPeers().stream().map(peer -> peer.startsWith("[") ? peer.substring(1, peer.indexOf(']'))
                : peer.replaceFirst(":\\d+$", "")).distinct().toList();
    }

    /** The servers the peers stand for in the upstream: a bare address for both release slots. */
    @JsonIgnore
    public int getPeerServers() {
        return getPeers().stream().mapToInt(peer -> peer.matches(".*\\]:\\d+|[^\\[].*:\\d+") ? 1 : 2).sum();
    }

    public List<String> getTestCommand() {
        return List.copyOf(testCommand);
    }

    public List<String> getReloadCommand() {
        return List.copyOf(reloadCommand);
    }

    public Path getPidFile() {
        return pidFile;
    }
}
