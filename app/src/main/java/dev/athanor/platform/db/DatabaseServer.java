package dev.athanor.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL server this process may use, with the credentials to reach it. For the embedded default, closing it
 * lets the embedded server stop once nobody else uses it; for a configured server, closing does nothing.
 */
public final class DatabaseServer implements AutoCloseable {

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String description;
    private final String kind;
    private final Runnable onClose;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    DatabaseServer(String jdbcUrl, String user, String password, String description, Runnable onClose) {
        this(jdbcUrl, user, password, description, "the database", onClose);
    }

    /** @param kind what the server is, for messages: "the database", "the connection pooler" */
    DatabaseServer(String jdbcUrl, String user, String password, String description, String kind,
            Runnable onClose) {
        this.kind = kind;
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl);
        this.user = user;
        this.password = password;
        this.description = description;
        this.onClose = onClose;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Where the server is, for people and logs; never includes the password. */
    public String describe() {
        return description;
    }

    /**
     * Opens one connection, bounded by {@code timeoutSeconds}, or says in one line why none could be had: a wrong
     * CA or host name, a refused password, a server that does not answer.
     *
     * @throws DatabaseConnectionException naming the server and the reason
     */
    public Connection connect(String applicationName, int timeoutSeconds) throws DatabaseConnectionException {
        try {
            return dataSource(applicationName, timeoutSeconds).getConnection();
        } catch (SQLException e) {
            throw new DatabaseConnectionException("cannot connect to " + kind + " at "
                    + ConnectionFailure.address(jdbcUrl) + ": " + ConnectionFailure.explain(e,
                            DatabaseUrl.parse(jdbcUrl)), e);
        }
    }

    /** A plain, unpooled data source: for commands that open a few connections and exit. */
    public DataSource dataSource(String applicationName) {
        return simpleDataSource(applicationName);
    }

    /**
     * A plain data source whose connections give up connecting after {@code timeoutSeconds} and reading a second
     * after that, so that a server that stopped answering (not refusing) cannot hang whoever holds one.
     */
    DataSource dataSource(String applicationName, int timeoutSeconds) {
        PGSimpleDataSource dataSource = simpleDataSource(applicationName);
        dataSource.setConnectTimeout(timeoutSeconds);
        dataSource.setSocketTimeout(timeoutSeconds + 1);
        return dataSource;
    }

    private PGSimpleDataSource simpleDataSource(String applicationName) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        if (user != null && !user.isEmpty()) {
            dataSource.setUser(user);
        }
        if (password != null && !password.isEmpty()) {
            dataSource.setPassword(password);
        }
        dataSource.setApplicationName(applicationName);
        dataSource.setConnectTimeout(5);
        return dataSource;
    }

    /** Releases the server once; later calls do nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }
}
