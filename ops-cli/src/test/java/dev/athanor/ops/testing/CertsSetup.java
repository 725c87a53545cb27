package dev.athanor.ops.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a certificate test runs against, all real and on loopback: pebble (the ACME CA), a web server on
 * pebble's HTTP-01 port serving the webroot (nginx's part), a TLS server presenting the installed certificate, and
 * GreenMail receiving the alerts. Writes the config.yml that {@code ops} reads. Close it to stop everything.
 */
public final class CertsSetup implements AutoCloseable {

    public static final String DOMAIN = "localhost";

    private final Path directory;
    private final TestCa ca = new TestCa();
    private final Pebble pebble;
    private final WebServer web;
    private final GreenMail mail;
    private final int smtpPort;
    private final Map<String, String> certificates = new LinkedHashMap<>();
    private TlsServer tls;

    private CertsSetup(Path directory, Duration validity, int nonceRejectPercent) throws Exception {
        this.directory = directory;
        int httpPort = Pebble.freePort();
        this.pebble = Pebble.start(ca, directory.resolve("pebble"), httpPort, validity, nonceRejectPercent,
                List.of());
        this.web = new WebServer(webroot(), httpPort);
        this.smtpPort = Pebble.freePort();
        this.mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        Files.writeString(trustedRoots(), TestCa.pem(List.of(ca.root())));
        certificates.put("domains", "[" + DOMAIN + "]");
        certificates.put("directoryUrl", pebble.directoryUrl());
        certificates.put("trustedRoots", trustedRoots().toString());
        certificates.put("email", "ops@example.com");
        certificates.put("accountKey", directory.resolve("account-key.pem").toString());
        certificates.put("directory", certificateRoot().toString());
        certificates.put("webroot", webroot().toString());
        certificates.put("reloadCommands", "[\"touch " + reloadMarker() + "\"]");
        certificates.put("servedAt", "\"\"");
        certificates.put("retryAfterFailure", "1s");
        certificates.put("maxRetryAfterFailure", "2s");
    }

    /** Starts pebble issuing certificates that live {@code validity}. */
    public static CertsSetup start(Path directory, Duration validity, int nonceRejectPercent) throws Exception {
        return new CertsSetup(directory, validity, nonceRejectPercent);
    }

    /** Sets a key of {@code certificates} in the config (YAML value as written). */
    public CertsSetup set(String key, String yamlValue) {
        certificates.put(key, yamlValue);
        return this;
    }

    /** Stops the web server on pebble's HTTP-01 port, as on a server where nothing listens on port 80 yet. */
    public CertsSetup withoutWebServer() {
        web.close();
        return this;
    }

    /** Starts the TLS server on the installed certificate and points {@code servedAt} at it. */
    public TlsServer serve() throws Exception {
        tls = new TlsServer(certificateRoot().resolve(DOMAIN), reloadMarker());
        set("servedAt", tls.address());
        return tls;
    }

    public Path config() throws IOException {
        List<String> lines = new ArrayList<>(List.of("site:", "  baseUrl: http://localhost:8080", "certificates:"));
        certificates.forEach((key, value) -> lines.add("  " + key + ": " + value));
        lines.addAll(List.of("alerts:", "  recipients: [ops@example.com]",
                "  stateDirectory: " + directory.resolve("alerts"), "  retryDelay: 10ms",
                "smtp:", "  host: 127.0.0.1", "  port: " + smtpPort, "  startTls: false",
                "logging:", "  level: WARN", "  appenders: []"));
        Path file = directory.resolve("config.yml");
        Files.write(file, lines);
        return file;
    }

    /** The {@code certificates} section's keys as indented YAML lines, for a config.yml written another way. */
    public String certificatesYaml() {
        StringBuilder yaml = new StringBuilder();
        certificates.forEach((key, value) -> yaml.append("  ").append(key).append(": ").append(value).append('\n'));
        return yaml.toString();
    }

    public Path certificateRoot() {
        return directory.resolve("certificates");
    }

    public Path certificate() {
        return certificateRoot().resolve(DOMAIN);
    }

    public Path webroot() {
        return directory.resolve("webroot");
    }

    public Path reloadMarker() {
        return directory.resolve("reloaded");
    }

    public Path trustedRoots() {
        return directory.resolve("trusted-roots.pem");
    }

    public TestCa ca() {
        return ca;
    }

    public Pebble pebble() {
        return pebble;
    }

    public GreenMail mail() {
        return mail;
    }

    @Override
    public void close() throws Exception {
        if (tls != null) {
            tls.close();
        }
        mail.stop();
        web.close();
        pebble.close();
        // for the test's output file, should a test have failed
        System.out.println("pebble's log:\n" + Files.readString(pebble.log()));
    }
}
