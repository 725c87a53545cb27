package dev.athanor.monitoring.alerts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.athanor.monitoring.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the alert sender remembers, in one JSON file on local disk ({@code alerts.json} in the state directory): the
 * problems currently open and when each was last sent, when recent messages went out (for the hourly limit), and
 * messages that still have to be delivered. Every change is a read-modify-write under an exclusive file lock, so the
 * site, cron runs of {@code ops} and the scheduler can share it; the file is replaced atomically.
 */
final class AlertLog {

    private static final Logger LOGGER = LoggerFactory.getLogger(AlertLog.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    /** The state itself; public fields because it is a plain JSON document. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    static final class State {
        public Map<String, Problem> open = new LinkedHashMap<>();
        public List<Instant> sent = new ArrayList<>();
        public List<Pending> pending = new ArrayList<>();
        public int heldBack;
        public Instant heldBackSince;
        /** The last messages that went out, newest last, for {@code ops status}. */
        public List<Sent> recent = new ArrayList<>();
    }

    /** One message that went out. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Sent {
        public Instant at;
        public String subject;
    }

    /** One open problem. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    static final class Problem {
        public String subject;
        public Instant firstSeen;
        public Instant lastSeen;
        /** When it was last sent; null while the rate limit has held it back. */
        public Instant lastSent;
        public int timesSent;
    }

    /** A message that some channels have not taken yet. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Pending {
        public String key;
        public String subject;
        public String body;
        public List<String> channels = new ArrayList<>();
        public Instant created;
        public int attempts;
        public String lastError;
    }

    /** A change made while the lock is held. */
    interface Change<T> {
        T apply(State state) throws IOException;
    }

    private final Path file;
    private final Path lockFile;

    AlertLog(Path directory) {
        this.file = directory.resolve("alerts.json");
        this.lockFile = directory.resolve("alerts.lock");
    }

    Path file() {
        return file;
    }

    /** Applies {@code change} to the state under the lock and writes the result. */
    <T> T update(Change<T> change) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            State state = read();
            T result = change.apply(state);
            AtomicFiles.write(file, JSON.writeValueAsBytes(state), AtomicFiles.OWNER_ONLY);
            return result;
        }
    }

    /** The state as last written; empty when there is none or it cannot be read (said in the log). */
    State read() {
        if (!Files.exists(file)) {
            return new State();
        }
        try {
            return JSON.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            LOGGER.warn("Alert state {} is unreadable and starts afresh: {}", file, e.getMessage());
            return new State();
        }
    }
}
