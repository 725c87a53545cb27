package dev.athanor.monitoring.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Free space on the data disk over time ({@code disk-history.jsonl}), one sample per digest, for its trend line. */
public final class DiskHistory {

    /** One sample. */
    public record Sample(Instant at, long usableBytes, long totalBytes) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Path file;

    public DiskHistory(Path directory) {
        this.file = directory.resolve("disk-history.jsonl");
    }

    public void record(Sample sample) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writeValueAsString(sample) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The sample closest to {@code at} that is at least a day older than {@code now}, if any. */
    public Optional<Sample> closestTo(Instant at, Instant now) throws IOException {
        List<Sample> samples = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    samples.add(JSON.readValue(line, Sample.class));
                } catch (IOException e) {
                    // a line cut short by a crash
                }
            }
        }
        return samples.stream().filter(sample -> sample.at().isBefore(now.minus(java.time.Duration.ofDays(1))))
                .min(Comparator.comparing(sample -> java.time.Duration.between(sample.at(), at).abs()));
    }
}
