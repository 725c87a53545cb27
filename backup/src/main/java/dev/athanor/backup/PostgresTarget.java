package dev.athanor.backup;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL database to dump or restore into, with the credentials to reach it: from the site's configuration, or
 * from a URL the operator types ({@code postgresql://user:secret@host:5432/db} or a JDBC URL). The PostgreSQL programs
 * are given the address as a libpq URI and the password through {@code PGPASSWORD}, never on their command line.
 */
public record PostgresTarget(String jdbcUrl, String user, String password) {

    /** libpq parameters that may follow a JDBC URL and mean the same to pg_dump; the rest are JDBC-only. */
    private static final Set<String> LIBPQ_PARAMETERS = Set.of("sslmode", "sslrootcert", "sslcert", "sslkey",
            "connect_timeout", "target_session_attrs", "options");

    /**
     * Reads a database URL.
     *
     * @throws IllegalArgumentException with a message for the operator when it is not one
     */
    public static PostgresTarget parse(String url) {
        String text = url == null ? "" : url.strip();
        if (text.startsWith("jdbc:postgresql://")) {
            return new PostgresTarget(text, null, null);
        }
        if (!text.startsWith("postgresql://") && !text.startsWith("postgres://")) {
            throw new IllegalArgumentException("\"" + redact(text) + "\" is not a database URL; use"
                    + " postgresql://USER:PASSWORD@HOST:PORT/DATABASE");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid database URL: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("the database URL needs a host and a database name, as in"
                    + " postgresql://USER:PASSWORD@HOST:PORT/DATABASE");
        }
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length == 2 ? decode(parts[1]) : null;
        }
        return new PostgresTarget(jdbc, user, password);
    }

    /** The same server, another database on it. */
    public PostgresTarget withDatabase(String database) {
        URI uri = hostPart();
        String query = jdbcUrl.contains("?") ? jdbcUrl.substring(jdbcUrl.indexOf('?')) : "";
        return new PostgresTarget("jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + "/" + database + query, user, password);
    }

    /** The database's name. */
    public String database() {
        String path = hostPart().getPath();
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /** {@code host:port}, for people and manifests. */
    public String server() {
        URI uri = hostPart();
        return uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 5432);
    }

    /** The database for people and logs: never the password. */
    public String describe() {
        return (user == null ? "" : user + "@") + server() + "/" + database();
    }

    /** A libpq connection URI for pg_dump and pg_restore, without the password. */
    public String libpqUri() {
        URI uri = hostPart();
        StringBuilder libpq = new StringBuilder("postgresql://");
        if (user != null && !user.isEmpty()) {
            libpq.append(URLEncoder.encode(user, StandardCharsets.UTF_8)).append('@');
        }
        libpq.append(uri.getHost());
        if (uri.getPort() > 0) {
            libpq.append(':').append(uri.getPort());
        }
        libpq.append('/').append(URLEncoder.encode(database(), StandardCharsets.UTF_8));
        List<String> parameters = new ArrayList<>();
        int query = jdbcUrl.indexOf('?');
        if (query >= 0) {
            for (String parameter : jdbcUrl.substring(query + 1).split("&")) {
                String name = parameter.split("=", 2)[0];
                if (LIBPQ_PARAMETERS.contains(name)) {
                    parameters.add(parameter);
                }
            }
        }
        if (!parameters.isEmpty()) {
            libpq.append('?').append(String.join("&", parameters));
        }
        return libpq.toString();
    }

    /** Environment for a PostgreSQL program: the password, so that it never shows in {@code ps}. */
    public Map<String, String> environment(String applicationName) {
        return password == null || password.isEmpty()
                ? Map.of("PGAPPNAME", applicationName)
                : Map.of("PGPASSWORD", password, "PGAPPNAME", applicationName);
    }

    /** An unpooled data source for a few connections, which wait up to 10 s to connect. */
    public DataSource dataSource(String applicationName) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        if (user != null && !user.isEmpty()) {
            dataSource.setUser(user);
        }
        if (password != null && !password.isEmpty()) {
            dataSource.setPassword(password);
        }
        dataSource.setApplicationName(applicationName);
        dataSource.setConnectTimeout(10);
        return dataSource;
    }

    @Override
    public String toString() {
        return describe();
    }

    private URI hostPart() {
        String rest = jdbcUrl.substring("jdbc:".length());
        return URI.create(rest.contains("?") ? rest.substring(0, rest.indexOf('?')) : rest);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String redact(String text) {
        return text.replaceAll("//([^:/@]*):[^@]*@", "//$1:***@");
    }
}
