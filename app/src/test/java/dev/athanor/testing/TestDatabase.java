package dev.athanor.testing;

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

    public Jdbi jdbi() {
        return Jdbi.create(dataSource());
    }

    /** The rows of a one-column query. */
    public <T> java.util.List<T> list(String sql, Class<T> type) {
        return jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(type).list());
    }

    /** The single value of a one-row, one-column query. */
    public <T> T one(String sql, Class<T> type) {
        return jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(type).one());
    }

    public Connection connect() throws SQLException {
        return dataSource().getConnection();
    }
}
