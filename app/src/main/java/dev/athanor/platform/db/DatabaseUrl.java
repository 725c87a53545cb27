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

    /** The value of the query parameter {@code name} (undecoded), if the URL has it. */
    Optional<String> parameter(String name) {
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return Optional.empty();
        }
        for (String pair : jdbcUrl.substring(query + 1).split("&")) {
            String[] parts = pair.split("=", 2);
            if (parts[0].equals(name)) {
                return Optional.of(parts.length == 2 ? parts[1] : "");
            }
        }
        return Optional.empty();
    }

    /**
     * The same address with the query parameter {@code name} set to {@code value} (percent-encoded here, as both
     * pgjdbc and libpq read it), replacing a value it had.
     */
    DatabaseUrl withParameter(String name, String value) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        java.util.List<String> pairs = new java.util.ArrayList<>();
        if (query >= 0) {
            for (String pair : jdbcUrl.substring(query + 1).split("&")) {
                if (!pair.isEmpty() && !pair.split("=", 2)[0].equals(name)) {
                    pairs.add(pair);
                }
            }
        }
        pairs.add(name + "=" + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")
                .replace("%2F", "/"));
        return new DatabaseUrl(base + "?" + String.join("&", pairs), user, password);
    }

    /** Percent-decoding as in a URL's user info, where '+' is a plus sign and not a space. */
    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
