package dev.athanor.ops.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config.yml for {@code ops} in a test: quiet logging, state (the embedded PostgreSQL's too) in a temporary
 * directory, and whatever sections and keys the test sets ({@code set("monitoring", "confirmations", "1")}, values
 * written as YAML).
 */
public final class OpsConfig {

    private final Path directory;
    private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();

    public OpsConfig(Path directory) {
        this.directory = directory;
        set("site", "baseUrl", "http://localhost:8080");
        set("storage", "dataDirectory", directory.resolve("data").toString());
        set("storage", "logDirectory", directory.resolve("logs").toString());
        set("alerts", "stateDirectory", directory.resolve("alerts").toString());
        set("alerts", "retryDelay", "10ms");
        set("monitoring", "stateDirectory", directory.resolve("monitoring").toString());
        set("monitoring", "nginxLogDirectory", directory.resolve("nginx-logs").toString());
        set("certificates", "directory", directory.resolve("certificates").toString());
        set("nginx", "includeDirectory", directory.resolve("nginx-includes").toString());
        set("deploy", "directory", directory.resolve("install").toString());
        // Without a database URL, ops starts the embedded default: here, not in ./data of the module.
        set("database", "embedded", "{directory: " + directory.resolve("postgres") + "}");
    }

    /** Sets {@code section.key} to {@code yamlValue} as written in YAML. */
    public OpsConfig set(String section, String key, String yamlValue) {
        sections.computeIfAbsent(section, name -> new LinkedHashMap<>()).put(key, yamlValue);
        return this;
    }

    /** Sends alerts by mail to ops@example.com through an SMTP server on 127.0.0.1:{@code port}. */
    public OpsConfig mailTo(int smtpPort) {
        set("alerts", "recipients", "[ops@example.com]");
        set("smtp", "host", "127.0.0.1");
        set("smtp", "port", Integer.toString(smtpPort));
        set("smtp", "startTls", "false");
        return this;
    }

    public Path directory() {
        return directory;
    }

    /** Writes the file and returns its path. */
    public Path write() throws IOException {
        List<String> lines = new ArrayList<>();
        sections.forEach((section, keys) -> {
            lines.add(section + ":");
            keys.forEach((key, value) -> lines.add("  " + key + ": " + value));
        });
        lines.addAll(List.of("logging:", "  level: WARN", "  appenders: []"));
        Path file = directory.resolve("config.yml");
        Files.createDirectories(directory);
        Files.write(file, lines);
        return file;
    }
}
