package dev.athanor.backup;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL release as its programs and servers report it ({@code "15.14"}, {@code "17beta1"},
 * {@code "pg_dump (PostgreSQL) 16.4 (Debian 16.4-1)"}, {@code "15.18 (Debian 15.18-0+deb12u1)"}). Only the major version decides compatibility.
 */
public record PostgresVersion(int major, int minor) implements Comparable<PostgresVersion> {

    private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?");

    /**
     * Reads the first version number in {@code text}.
     *
     * @throws IllegalArgumentException when the text holds no version number
     */
    public static PostgresVersion parse(String text) {
        // "pg_dump (PostgreSQL) 16.4 (Debian 16.4-1)": the version follows the program's name; a server says
        // "15.18 (Debian 15.18-0+deb12u1)", the version first.
        int name = text.indexOf("(PostgreSQL)");
        String afterName = name >= 0 ? text.substring(name + "(PostgreSQL)".length()) : text;
        Matcher matcher = VERSION.matcher(afterName);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no PostgreSQL version in \"" + text.strip() + "\"");
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2));
        return new PostgresVersion(major, minor);
    }

    /**
     * Whether a pg_dump of this version can dump a server of {@code server}'s version: pg_dump reads servers of its
     * own major version and older ones, never newer.
     */
    public boolean canDump(PostgresVersion server) {
        return major >= server.major;
    }

    @Override
    public int compareTo(PostgresVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
