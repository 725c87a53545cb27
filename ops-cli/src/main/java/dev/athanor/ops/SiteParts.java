package dev.athanor.ops;

import com.codahale.metrics.MetricRegistry;
import dev.athanor.AthanorConfiguration;
import dev.athanor.SiteContexts;
import dev.athanor.accounts.Accounts;
import dev.athanor.billing.Billing;
import dev.athanor.content.Content;
import dev.athanor.events.Events;
import dev.athanor.mail.Mail;
import dev.athanor.media.Media;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.platform.db.Database;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The site's contexts as ops uses them, outside the running site: over a plain connection to the same database,
 * with the schema migrated first (ops may be newer than the site it serves), wired as the site wires them
 * ({@link SiteContexts}). Close it to release the database.
 */
public final class SiteParts implements AutoCloseable {

    private final DatabaseServer server;
    private final Jdbi jdbi;
    private final SiteContexts contexts;

    private SiteParts(DatabaseServer server, AthanorConfiguration configuration) {
        this.server = server;
        this.jdbi = Database.jdbi(server.dataSource("athanor-ops"));
        this.contexts = new SiteContexts(configuration, jdbi, Clock.systemUTC(), new MetricRegistry());
    }

    public static SiteParts open(ConfigOption config) throws Exception {
        AthanorConfiguration configuration = config.load();
        DatabaseServer server = configuration.getDatabase().start();
        try {
            new Migrations(server.dataSource("athanor-ops")).migrate();
            return new SiteParts(server, configuration);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    Jdbi jdbi() {
        return jdbi;
    }

    DatabaseServer server() {
        return server;
    }

    /** What happened, for reading (the writer that stores events is the running site's). */
    public Events events() {
        return contexts.events();
    }

    Media media() {
        return contexts.media();
    }

    /** The content context; its changes reach running sites' page caches through the database. */
    public Content content() {
        return contexts.content();
    }

    /** The site's mail as ops sends it: queued in the outbox, which the running site's worker delivers. */
    Mail mail() {
        return contexts.mail();
    }

    public Billing billing() {
        return contexts.billing();
    }

    public Accounts accounts() throws IOException {
        try {
            return contexts.accounts();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
