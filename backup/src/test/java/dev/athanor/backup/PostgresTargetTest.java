package dev.athanor.backup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The address pg_dump and pg_restore are given. */
class PostgresTargetTest {

    @Test
    void theTlsSettingsOfTheJdbcUrlReachLibpqAndJdbcOnlyOnesDoNot() {
        PostgresTarget target = new PostgresTarget("jdbc:postgresql://db.example.com:25060/defaultdb?sslmode=verify-full"
                + "&sslrootcert=/etc/athanor/ca%20file.crt&prepareThreshold=0", "doadmin", "secret");

        assertThat(target.libpqUri()).isEqualTo("postgresql://doadmin@db.example.com:25060/defaultdb"
                + "?sslmode=verify-full&sslrootcert=/etc/athanor/ca%20file.crt");
        assertThat(target.withDatabase("scratch").libpqUri()).endsWith("/scratch?sslmode=verify-full"
                + "&sslrootcert=/etc/athanor/ca%20file.crt");
    }
}
