package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.platform.db.Database;
import dev.athanor.testing.TestPostgres;
import jakarta.ws.rs.ProcessingException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.tomcat.jdbc.pool.PoolExhaustedException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Which failures mean "the database cannot be reached" (503, logged once per outage) and which stay bugs (500). */
class UnreachableDatabaseTest {

    @Test
    void aRefusedConnectionIsUnreachableAsTheDriverAndJdbiReportIt() {
        int nobody = TestPostgres.freePort();
        SQLException refused = null;
        try {
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + nobody + "/site", "site", "secret");
        } catch (SQLException e) {
            refused = e;
        }
        assertThat((Throwable) refused).isNotNull();
        assertThat(DatabaseOutage.unreachable(refused)).get().asString().contains("refused");

        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:" + nobody + "/site");
        JdbiException fromJdbi = null;
        try {
            Database.jdbi(nowhere).withHandle(handle -> handle.createQuery("SELECT 1").mapTo(int.class).one());
        } catch (JdbiException e) {
            fromJdbi = e;
        }
        assertThat(fromJdbi).isInstanceOf(ConnectionException.class);
        assertThat(DatabaseOutage.unreachable(fromJdbi)).get().asString().contains("refused");
    }

    @Test
    void lostConnectionsAShutdownTooManyClientsAndAnEmptyPoolAreUnreachableWhereverWrapped() {
        for (String state : new String[] {"08006", "08003", "08001", "57P01", "57P02", "57P03", "53300"}) {
            SQLException cause = new SQLException("state " + state, state);
            assertThat(DatabaseOutage.unreachable(cause)).as(state).contains("state " + state);
            assertThat(DatabaseOutage.unreachable(new UnableToExecuteStatementException(cause, null)))
                    .as("from a statement, " + state).isPresent();
            assertThat(DatabaseOutage.unreachable(new ProcessingException(new RuntimeException(cause))))
                    .as("wrapped by Jersey, " + state).isPresent();
        }
        assertThat(DatabaseOutage.unreachable(new PoolExhaustedException(
                "[http-1] Timeout: Pool empty. Unable to fetch a connection in 2 seconds, none available[size:16;"
                        + " busy:16; idle:0; lastwait:2000]."))).get().asString().contains("Pool empty");
        assertThat(DatabaseOutage.unreachable(new SQLException("[x] Timeout: Pool empty. Unable to fetch")))
                .isPresent();
        assertThat(DatabaseOutage.unreachable(new ConnectionException(new SQLTransientConnectionException(
                "the site is stopping")))).contains("the site is stopping");
    }

    @Test
    void otherFaultsStayBugs() {
        assertThat(DatabaseOutage.unreachable(new SQLException("duplicate key", "23505"))).isEmpty();
        assertThat(DatabaseOutage.unreachable(new UnableToExecuteStatementException(
                new SQLException("relation \"nope\" does not exist", "42P01"), null))).isEmpty();
        assertThat(DatabaseOutage.unreachable(new SQLException("canceling statement due to statement timeout",
                "57014"))).as("a slow query is not an outage").isEmpty();
        assertThat(DatabaseOutage.unreachable(new SQLException("no state"))).isEmpty();
        assertThat(DatabaseOutage.unreachable(new IllegalStateException("a bug"))).isEmpty();
        assertThat(DatabaseOutage.unreachable(new NullPointerException())).isEmpty();
    }
}
