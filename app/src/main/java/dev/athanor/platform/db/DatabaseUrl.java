package dev.athanor.platform.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A database address as operators are given it: a JDBC URL ({@code jdbc:postgresql://host:5432/db}) or the URL form
 * that managed PostgreSQL services print ({@code postgresql://user:secret@host:25060/db?sslmode=require}). Credentials
 * inside the URL are taken out of it, so that the JDBC URL can be logged.
 */
record DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<String> password) {

    static DatabaseUrl parse(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(url, Optional.empty(), Optional.empty());
        }
        if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            throw new IllegalArgumentException("database.url must be \"embedded\" (the default),"
                    + " jdbc:postgresql://HOST:PORT/DATABASE or postgresql://USER:PASSWORD@HOST:PORT/DATABASE");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("database.url is not a valid URL: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("database.url needs a host and a database name,"
                    + " as in postgresql://USER:PASSWORD@HOST:PORT/DATABASE");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(uri.getRawPath());
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(decode(parts[0]));
            if (parts.length == 2) {
                password = Optional.of(decode(parts[1]));
            }
        }
        return new DatabaseUrl(jdbc.toString(), user, password);
    }

    /** Percent-decoding as in a URL's user info, where '+' is a plus sign and not a space. */
    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
