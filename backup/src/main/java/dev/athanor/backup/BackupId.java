package dev.athanor.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backup's name: when it started (UTC, to the second) and its kind, as in {@code 20250301T033000Z-daily}. Names
 * sort by time, and the objects of one backup share it: {@code ID.dump} (or {@code ID.dump.age}),
 * {@code ID.manifest.json}, {@code ID.verification.json}, and {@code ID.failed.json} for a failed attempt.
 */
public record BackupId(Instant startedAt, BackupKind kind) implements Comparable<BackupId> {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern PATTERN = Pattern.compile("(\\d{8}T\\d{6}Z)-(daily|weekly|manual|pre-deploy)");

    public static final String MANIFEST = ".manifest.json";
    public static final String VERIFICATION = ".verification.json";
    public static final String FAILURE = ".failed.json";

    public BackupId {
        startedAt = startedAt.truncatedTo(ChronoUnit.SECONDS);
    }

    /** Reads an id, or empty when {@code text} is not one. */
    public static Optional<BackupId> parse(String text) {
        Matcher matcher = PATTERN.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new BackupId(FORMAT.parse(matcher.group(1), Instant::from), BackupKind.of(matcher.group(2))));
    }

    /** The id at the start of an object's name ({@code ID.manifest.json} and the like), if it has one. */
    public static Optional<BackupId> ofObject(String objectName) {
        int dot = objectName.indexOf('.');
        return dot < 0 ? Optional.empty() : parse(objectName.substring(0, dot));
    }

    public String archive(boolean encrypted) {
        return this + (encrypted ? ".dump.age" : ".dump");
    }

    public String manifest() {
        return this + MANIFEST;
    }

    public String verification() {
        return this + VERIFICATION;
    }

    public String failure() {
        return this + FAILURE;
    }

    @Override
    public int compareTo(BackupId other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return FORMAT.format(startedAt) + "-" + kind.label();
    }
}
