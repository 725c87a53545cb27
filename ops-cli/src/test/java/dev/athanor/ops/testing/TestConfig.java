package dev.athanor.ops.testing;

import dev.athanor.backup.testing.TestS3;
import dev.athanor.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped config.yml as a test's environment would make it: each {@code ${NAME:-default}} given a value here
 * takes it, as if NAME were set; sections may be replaced whole (the scheduler's jobs, for instance).
 */
public final class TestConfig {

    private final Map<String, String> variables = new LinkedHashMap<>();
    private final Map<String, String> sections = new LinkedHashMap<>();
    private final Map<String, String> replacements = new LinkedHashMap<>();

    public static TestConfig on(TestDatabase database, Path dataDirectory) {
        return new TestConfig()
                .set("DATABASE_URL", database.jdbcUrl())
                .set("DATABASE_USER", database.user())
                .set("DATABASE_PASSWORD", database.password())
                .set("ATHANOR_DATA_DIR", dataDirectory.toString())
                .set("ATHANOR_LOG_DIR", dataDirectory.resolve("logs").toString())
                .set("ATHANOR_BACKUP_DIR", dataDirectory.resolve("backups").toString());
    }

    /** Backups to the bucket of a {@link TestS3} at {@code endpoint} (or a proxy there). */
    public TestConfig s3(Object endpoint) {
        return set("ATHANOR_BACKUP_STORAGE", "s3")
                .set("ATHANOR_BACKUP_S3_ENDPOINT", endpoint.toString())
                .set("ATHANOR_BACKUP_S3_BUCKET", TestS3.BUCKET)
                .set("ATHANOR_BACKUP_S3_PATH_STYLE", "true")
                .set("ATHANOR_BACKUP_S3_ACCESS_KEY_ID", TestS3.ACCESS_KEY)
                .set("ATHANOR_BACKUP_S3_SECRET_ACCESS_KEY", TestS3.SECRET_KEY);
    }

    public TestConfig set(String variable, String value) {
        variables.put(variable, value);
        return this;
    }

    /** Replaces the top-level section {@code name} with {@code yaml} (its indented body, without the name line). */
    public TestConfig section(String name, String yaml) {
        sections.put(name, yaml);
        return this;
    }

    /** Replaces a literal line fragment, such as {@code "daily: 7"}. */
    public TestConfig replace(String literal, String replacement) {
        replacements.put(literal, replacement);
        return this;
    }

    public Path write(Path directory) throws IOException {
        String config = Files.readString(Path.of("..", "config.yml"));
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            if (!config.contains(replacement.getKey())) {
                throw new IllegalArgumentException("config.yml has no \"" + replacement.getKey() + "\"");
            }
            config = config.replace(replacement.getKey(), replacement.getValue());
        }
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            config = config.replaceAll("\\$\\{" + Pattern.quote(variable.getKey()) + ":-[^}]*\\}",
                    Matcher.quoteReplacement(variable.getValue()));
        }
        for (Map.Entry<String, String> section : sections.entrySet()) {
            config = config.replaceFirst("(?ms)^" + Pattern.quote(section.getKey()) + ":\\n.*?(?=^[a-z])",
                    Matcher.quoteReplacement(section.getKey() + ":\n" + section.getValue().stripTrailing() + "\n\n"));
        }
        Path file = directory.resolve("config.yml");
        Files.createDirectories(directory);
        Files.writeString(file, config);
        return file;
    }
}
