package dev.athanor.platform.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code database.embedded} keys: where the private PostgreSQL of the embedded default lives. Used when
 * {@code database.url} is {@code embedded}.
 *
 * <ul>
 *   <li>{@code directory}: holds the cluster, its generated password and its log (default {@code ./data/postgres}).
 *   <li>{@code port}: the port to start it on; 0, the default, picks a free one.
 *   <li>{@code binDirectory}: PostgreSQL's server programs to use instead of the bundled ones.
 * </ul>
 */
public class EmbeddedDatabaseFactory {

    @NotNull
    @JsonProperty
    private String directory = "./data/postgres";

    @Min(0)
    @Max(65535)
    @JsonProperty
    private int port = 0;

    @JsonProperty
    private String binDirectory = "";

    public Path getDirectory() {
        return Path.of(directory);
    }

    public void setDirectory(String directory) {
        this.directory = directory;
    }

    public int getPort() {
        return port;
    }

    public Optional<Path> getBinDirectory() {
        return binDirectory == null || binDirectory.isBlank() ? Optional.empty() : Optional.of(Path.of(binDirectory));
    }

    public void setBinDirectory(String binDirectory) {
        this.binDirectory = binDirectory;
    }

    /** The embedded server this configuration describes. */
    public EmbeddedPostgres build() {
        return new EmbeddedPostgres(getDirectory(), port, getBinDirectory());
    }
}
