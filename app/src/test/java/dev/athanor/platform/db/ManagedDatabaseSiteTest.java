package dev.athanor.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.athanor.AthanorApplication;
import dev.athanor.AthanorConfiguration;
import dev.athanor.platform.cli.SiteServerCommand;
import dev.athanor.testing.Http;
import dev.athanor.testing.ManagedPostgres;
import dev.athanor.testing.TestApp;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestSite;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The site on a managed PostgreSQL (TLS from its own CA, 20 connections): it starts verified in full and warns that
 * its pool could exhaust the server; with a host name the certificate does not name it does not start, and says why
 * in one line.
 */
class ManagedDatabaseSiteTest {

    private static ManagedPostgres postgres;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws Exception {
        postgres = ManagedPostgres.start("site", 20);
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void theSiteStartsVerifiedAndWarnsWhenItsNodesMayOpenMoreConnectionsThanTheServerTakes() throws Exception {
        TestDatabase database = new TestDatabase("jdbc:postgresql://localhost:" + postgres.port()
                + "/athanor?sslmode=require", postgres.user(), postgres.password());
        DropwizardTestSupport<AthanorConfiguration> site = TestApp.support(WatchedSite.class, () -> database,
                ConfigOverride.config("database.caFile", postgres.caFile().toString()),
                ConfigOverride.config("database.maxSize", "16"));
        site.before();
        try {
            assertThat(Http.get("http://127.0.0.1:" + site.getLocalPort() + "/").statusCode()).isEqualTo(200);
            assertThat(WatchedSite.LINES.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "Too few database connections: 1 node(s) may open 27 connection(s) to PostgreSQL, which accepts"
                            + " 17 (max_connections 20 - 3 reserved): per node 16 for the site's pool"
                            + " (database.maxSize) + 2 of the site's own (page-cache LISTEN, health checks) + 6 of the"
                            + " scheduler's (its Quartz pool, its checks, a pg_dump), and 3 for ops commands. Lower"
                            + " database.maxSize (DATABASE_POOL_SIZE) to 6, put a connection pooler in front"
                            + " (database.url through PgBouncer, database.directUrl to the server), or raise"
                            + " max_connections (on a managed service: a larger plan)");
            assertThat(WatchedSite.LINES.list.get(0).getLevel()).isEqualTo(Level.WARN);
            TestDatabase direct = new TestDatabase(postgres.jdbcUrl(), postgres.user(), postgres.password());
            assertThat(direct.<Long>value("SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)"
                    + " WHERE a.application_name = 'athanor' AND s.ssl")).as("the pool's connections use TLS")
                    .isGreaterThanOrEqualTo(2L);
        } finally {
            site.after();
        }
    }

    @Test
    void aHostNameTheCertificateDoesNotNameStopsTheStartInOneLine() throws Exception {
        String config = Files.readString(Path.of(TestApp.configFile())).replace("url: embedded",
                "url: \"" + postgres.url("127.0.0.1") + "\"\n  caFile: " + postgres.caFile());
        Path file = temp.resolve("config.yml");
        Files.writeString(file, config);
        AthanorApplication application = new AthanorApplication();
        Bootstrap<AthanorConfiguration> bootstrap = new Bootstrap<>(application);
        application.initialize(bootstrap);
        bootstrap.registerMetrics();
        bootstrap.addCommand(new SiteServerCommand<>(application));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new JarLocation(getClass()), bootstrap, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        Optional<Throwable> failure = cli.run("server", file.toString());

        assertThat(failure).isPresent();
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(stderr.lines().toList()).isEqualTo(List.of("athanor: could not start: cannot connect to the database"
                + " at 127.0.0.1:" + postgres.port() + "/athanor: the server's TLS certificate does not name the host"
                + " 127.0.0.1: connect by a host name the certificate lists (the one the managed service prints), or,"
                + " if it lists none, say sslmode=verify-ca in the URL"));
    }

    /** The test site, with the start-up's database lines captured (logging is set up before {@code run}). */
    public static class WatchedSite extends TestSite {

        static final ListAppender<ILoggingEvent> LINES = new ListAppender<>();

        @Override
        public void run(AthanorConfiguration configuration, Environment environment) throws Exception {
            Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(FirstConnection.class);
            LINES.list.clear();
            LINES.start();
            logger.addAppender(LINES);
            super.run(configuration, environment);
        }
    }
}
