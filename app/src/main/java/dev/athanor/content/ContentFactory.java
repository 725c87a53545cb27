package dev.athanor.content;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code content} section.
 *
 * <ul>
 *   <li>{@code demo}: on the embedded default, import the demo content (a small course, a few articles, a short
 *       video) into a database that has none, so a newcomer sees a real site (default true). Never on a configured
 *       database.
 *   <li>{@code directory}: the content folder the operator pages re-import from (optional; {@code ops content
 *       import DIR} takes any folder).
 *   <li>{@code markdownCacheSize}: memory for rendered Markdown (default 16 MiB).
 *   <li>{@code searchTimeout}: how long PostgreSQL may work on one visitor's search before cancelling it (default
 *       2 seconds); the visitor is then asked for fewer or more specific words.
 * </ul>
 */
public class ContentFactory {

    @JsonProperty
    private boolean demo = true;

    @JsonProperty
    private String directory = "";

    @NotNull
    @JsonProperty
    private DataSize markdownCacheSize = DataSize.mebibytes(16);

    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration searchTimeout = Duration.seconds(2);

    public boolean isDemo() {
        return demo;
    }

    public Optional<Path> getDirectory() {
        return directory == null || directory.isBlank() ? Optional.empty() : Optional.of(Path.of(directory));
    }

    public java.time.Duration searchTimeout() {
        return searchTimeout.toJavaDuration();
    }

    public long markdownCacheBytes() {
        return markdownCacheSize.toBytes();
    }
}
