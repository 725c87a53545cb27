package dev.athanor.monitoring.alerts;

import dev.athanor.monitoring.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where alerts go when no mail server is configured (a newcomer's machine): one text file per message in a
 * directory, and a warning in the log naming the file, so that nothing is lost silently.
 */
final class FileChannel implements AlertChannel {

    static final String NAME = "file";

    private static final Logger LOGGER = LoggerFactory.getLogger(FileChannel.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Clock clock;
    private final String why;

    FileChannel(Path directory, Clock clock, String why) {
        this.directory = directory;
        this.clock = clock;
        this.why = why;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void send(AlertMessage message) throws Exception {
        String slug = message.subject().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
        Path file = directory.resolve(STAMP.format(clock.instant()) + "-"
                + slug.substring(0, Math.min(60, slug.length())) + ".txt");
        AtomicFiles.write(file, ("Subject: " + message.subject() + "\n\n" + message.body() + "\n")
                .getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
        LOGGER.warn("Alert \"{}\" written to {} ({})", message.subject(), file, why);
    }

    @Override
    public String describe() {
        return "files in " + directory + " (" + why + ")";
    }
}
