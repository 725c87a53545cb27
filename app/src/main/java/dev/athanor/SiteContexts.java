package dev.athanor;

import com.codahale.metrics.MetricRegistry;
import dev.athanor.accounts.Accounts;
import dev.athanor.accounts.AccountsFactory;
import dev.athanor.api.ApiTokens;
import dev.athanor.billing.Billing;
import dev.athanor.content.Content;
import dev.athanor.events.Events;
import dev.athanor.mail.Mail;
import dev.athanor.media.Media;
import dev.athanor.platform.db.Housekeeping;
import dev.athanor.platform.db.LearnerChanges;
import dev.athanor.platform.web.PageCacheInvalidation;
import dev.athanor.platform.web.Site;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * The site's contexts, wired in one place from the configuration, a database, a clock and a metric registry: the
 * running site ({@link AthanorApplication}) and {@code ops} (which works on the same database from outside) both take
 * them from here. Each is made when first asked for, once, with the others it needs. Nothing here starts a thread:
 * what only a running site does (writing events, sending the outbox, Jersey resources, housekeeping) the site starts
 * itself.
 */
public final class SiteContexts {

    /** Events kept in memory before they are dropped, and how often the running site writes them. */
    private static final int EVENTS_BUFFERED = 10_000;
    private static final long EVENTS_WRITTEN_EVERY_MILLIS = 2_000;
    /** How long delivered mail stays in the outbox, and Stripe idempotency keys (Stripe keeps them a day). */
    private static final Duration DELIVERED_MAIL_KEPT = Duration.ofDays(30);
    private static final Duration STRIPE_KEYS_KEPT = Duration.ofDays(2);

    private final AthanorConfiguration configuration;
    private final Jdbi jdbi;
    private final Clock clock;
    private final MetricRegistry metrics;
    private final Site site;
    private final LearnerChanges learnerChanges = new LearnerChanges();
    private volatile Consumer<Set<String>> pagesChanged = changed -> { };
    private Events events;
    private Mail mail;
    private Accounts accounts;
    private Media media;
    private Billing billing;
    private Content content;
    private ApiTokens apiTokens;

    /** The contexts of the site {@code configuration} describes, over {@code jdbi}'s (migrated) database. */
    public SiteContexts(AthanorConfiguration configuration, Jdbi jdbi, Clock clock, MetricRegistry metrics) {
        this.configuration = configuration;
        this.jdbi = jdbi;
        this.clock = clock;
        this.metrics = metrics;
        this.site = configuration.getSite().build();
    }

    /**
     * What this process hears of changes to learners, on which what it keeps of them in memory depends; only the
     * running site listens (through its page cache's listener), so elsewhere nothing is kept.
     */
    public LearnerChanges learnerChanges() {
        return learnerChanges;
    }

    /** The site's name and address. */
    public Site site() {
        return site;
    }

    /**
     * Tells this node's page cache which pages a content import changed, right after it commits (other nodes, and a
     * site running beside {@code ops}, hear of it through the database). Without it nothing is told here.
     */
    public void whenPagesChange(Consumer<Set<String>> invalidate) {
        this.pagesChanged = invalidate;
    }

    /** What happened; a running site starts its writer (it is {@code Managed}). */
    public synchronized Events events() {
        if (events == null) {
            events = new Events(jdbi, clock, EVENTS_BUFFERED, EVENTS_WRITTEN_EVERY_MILLIS, metrics);
        }
        return events;
    }

    /** Mail queued in the outbox; the running site sends it ({@link Mail#deliverWhileRunning}). */
    public synchronized Mail mail() {
        if (mail == null) {
            mail = configuration.getMail().build(jdbi, site.name(), site.baseUrl().toString());
        }
        return mail;
    }

    /**
     * Learners and their sign-in; the first call reads (or makes) the accounts secret under the storage's data
     * directory unless {@code accounts.secret} is set.
     *
     * @throws UncheckedIOException when the secret cannot be read or made
     */
    public synchronized Accounts accounts() {
        if (accounts == null) {
            AccountsFactory settings = configuration.getAccounts();
            try {
                accounts = new Accounts(jdbi, mail(), site.baseUrl().toString(), settings,
                        settings.secret(configuration.getStorage().getDataDirectory()), clock, metrics, learnerChanges);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return accounts;
    }

    /** Videos, on local disk or in a bucket. */
    public synchronized Media media() {
        if (media == null) {
            media = configuration.getMedia().build(jdbi);
        }
        return media;
    }

    /** Entitlements, grants and Stripe; it asks for {@link #accounts} only when it must find a learner. */
    public synchronized Billing billing() {
        if (billing == null) {
            billing = new Billing(jdbi, configuration.getBilling(), mail(), this::accounts, site.baseUrl().toString(),
                    clock, learnerChanges);
        }
        return billing;
    }

    /** Courses, lessons and articles. */
    public synchronized Content content() {
        if (content == null) {
            content = new Content(jdbi, media(), billing(), events(), changed -> pagesChanged.accept(changed),
                    configuration.getContent().markdownCacheBytes(),
                    configuration.getContent().searchTimeout(), metrics, learnerChanges, clock);
        }
        return content;
    }

    /** The subscriber API's tokens (and, through {@link ApiTokens#register}, its resources). */
    public synchronized ApiTokens api() {
        if (apiTokens == null) {
            apiTokens = new ApiTokens(jdbi);
        }
        return apiTokens;
    }

    /**
     * The hourly clean-up of what every context keeps only for a while (expired sessions and links, delivered mail,
     * old Stripe keys, page changes a day old), each through its own facade; the running site manages it.
     */
    public Housekeeping housekeeping() {
        return new Housekeeping(jdbi, List.of(accounts()::forgetExpired,
                handle -> mail().forgetDelivered(handle, DELIVERED_MAIL_KEPT),
                handle -> billing().forgetStripeRequests(handle, STRIPE_KEYS_KEPT),
                PageCacheInvalidation::forgetOld));
    }
}
