package dev.athanor.monitoring.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes log files as the site and nginx write them, for the tests. */
public final class LogFiles {

    private LogFiles() {
    }

    /** An app line as Dropwizard's json layout writes it. */
    public static String appLine(Instant time, String level, String message) {
        return "{\"timestamp\":" + time.toEpochMilli() + ",\"level\":\"" + level
                + "\",\"thread\":\"main\",\"logger\":\"dev.athanor.Test\",\"message\":\"" + message + "\"}";
    }

    /** A request line as Dropwizard's access-json layout writes it. */
    public static String requestLine(Instant time, String method, String uri, int status) {
        return "{\"timestamp\":" + time.toEpochMilli() + ",\"contentLength\":15,\"method\":\"" + method
                + "\",\"protocol\":\"HTTP/1.1\",\"remoteAddress\":\"127.0.0.1\",\"requestTime\":3,\"uri\":\"" + uri
                + "\",\"status\":" + status + ",\"userAgent\":\"test\"}";
    }

    public static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, lines.isEmpty() ? "" : String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    public static void writeGzipped(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    public static void append(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
}
