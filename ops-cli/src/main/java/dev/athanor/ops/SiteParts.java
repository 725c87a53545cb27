package dev.athanor.ops;

import com.codahale.metrics.MetricRegistry;
import dev.athanor.AthanorConfiguration;
import dev.athanor.accounts.Accounts;
import dev.athanor.billing.Billing;
import dev.athanor.billing.Entitlements;
import dev.athanor.content.Content;
import dev.athanor.events.Events;
import dev.athanor.mail.Mail;
import dev.athanor.media.Media;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.platform.db.Database;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.Migrations;
import dev.athanor.platform.web.Site;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The site's contexts as ops uses them, outside the running site: over a plain connection to the same database,
 * with the schema migrated first (ops may be newer than the site it serves). Close it to release the database.
 */
public final class SiteParts implements AutoCloseable {

    private final DatabaseServer server;
    private final Jdbi jdbi;
    private final AthanorConfiguration configuration;

    private SiteParts(DatabaseServer server, AthanorConfiguration configuration) {
        this.server = server;
        this.configuration = configuration;
        this.jdbi = Database.jdbi(server.dataSource("athanor-ops"));
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

    public Events events() {
        return new Events(jdbi, Clock.systemUTC(), 1, 0, new MetricRegistry());
    }

    Media media() {
        return configuration.getMedia().build(jdbi);
    }

    /** The content context; its changes reach running sites' page caches through the database. */
    public Content content() {
        return new Content(jdbi, media(), new Entitlements(jdbi, configuration.getBilling().pastDueGrace()), events(),
                changed -> { },
                configuration.getContent().markdownCacheBytes(), new MetricRegistry());
    }

    /** The site's mail as ops sends it: queued in the outbox, which the running site's worker delivers. */
    Mail mail() {
        Site site = configuration.getSite().build();
        return new Mail(site.name(), site.baseUrl().toString());
    }

    public Billing billing() {
        Site site = configuration.getSite().build();
        return new Billing(jdbi, configuration.getBilling(), mail(), site.baseUrl().toString(), Clock.systemUTC());
    }

    public Accounts accounts() throws java.io.IOException {
        Site site = configuration.getSite().build();
        return new Accounts(jdbi, mail(), site.baseUrl().toString(), configuration.getAccounts(),
                configuration.getAccounts().secret(configuration.getStorage().getDataDirectory()), Clock.systemUTC());
    }

    @Override
    public void close() {
        server.close();
    }
}
