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

    public Connection connect() throws SQLException {
        return dataSource().getConnection();
    }
}
