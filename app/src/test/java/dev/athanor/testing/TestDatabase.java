package dev.athanor.testing;

import dev.athanor.platform.db.Database;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/** A database of its own for one test class, on a real PostgreSQL. */
public record TestDatabase(String jdbcUrl, String user, String password) {

    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    /** A Jdbi as the site configures it (SqlObject and PostgreSQL plugins), so tests can build contexts on it. */
    public Jdbi jdbi() {
        return Database.jdbi(dataSource());
    }

    /** The rows of a one-column query. */
    public <T> java.util.List<T> list(String sql, Class<T> type) {
        return jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(type).list());
    }

    /** The single value of a one-row, one-column query. */
    public <T> T one(String sql, Class<T> type) {
        return jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(type).one());
    }

    /** The single value of a one-row, one-column query with positional parameters. */
    @SuppressWarnings("unchecked")
    public <T> T value(String sql, Object... arguments) {
        return (T) jdbi().withHandle(handle -> {
            var query = handle.createQuery(sql);
            for (int i = 0; i < arguments.length; i++) {
                query.bind(i, arguments[i]);
            }
            return query.map((rs, ctx) -> rs.getObject(1)).one();
        });
    }

    /** Runs a statement with positional parameters; returns the rows it changed. */
    public int execute(String sql, Object... arguments) {
        return jdbi().withHandle(handle -> handle.execute(sql, arguments));
    }

    public Connection connect() throws SQLException {
        return dataSource().getConnection();
    }
}
