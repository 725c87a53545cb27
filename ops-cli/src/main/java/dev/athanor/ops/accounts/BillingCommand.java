package dev.athanor.ops.accounts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.billing.Billing;
import dev.athanor.ops.OpsFailure;
import dev.athanor.ops.SiteParts;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ops billing reconcile}: applies the Stripe events whose webhook delivery failed. The scheduler's
 * {@code billing-reconcile} job does the same work through {@link #reconcile}.
 */
@Command(name = "billing", description = "Stripe: catch up on events the webhook missed.",
        subcommands = BillingCommand.Reconcile.class)
public final class BillingCommand implements Runnable {

    public static final String NOT_CONFIGURED = "Stripe is not configured (billing.secretKey)";

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Applies the Stripe events of the last {@code days} whose webhook delivery failed; empty when Stripe is not
     * configured.
     */
    public static Optional<Billing.Reconciliation> reconcile(ConfigOption config, int days) throws Exception {
        try (SiteParts site = SiteParts.open(config)) {
            Billing billing = site.billing();
            if (!billing.isOffered()) {
                return Optional.empty();
            }
            return Optional.of(billing.reconcile(Duration.ofDays(Math.max(1, days))));
        }
    }

    /** One line on what a reconciliation found and did. */
    public static String describe(Billing.Reconciliation result) {
        return String.format("%d undelivered event(s): %d applied, %d already applied, %d of no concern",
                result.undelivered(), result.applied(), result.alreadyApplied(), result.ignored());
    }

    @Command(name = "reconcile", description = {"List the Stripe events of the last days whose delivery to the"
            + " webhook failed and apply them (each at most once: the event ledger skips those already applied).",
        "Run daily by the scheduler; run it by hand after a webhook outage."})
    static final class Reconcile implements Callable<Integer> {

        @Option(names = "--days", defaultValue = "3", paramLabel = "N",
                description = "How far back to look (at most 30, Stripe's event retention). Default 3.")
        private int days;

        @Mixin
        private JsonOption json;

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Optional<Billing.Reconciliation> result = reconcile(config, days);
            if (result.isEmpty()) {
                spec.commandLine().getErr().println("ops: " + NOT_CONFIGURED);
                return OpsFailure.CONFIG;
            }
            if (json.enabled()) {
                spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(result.get()));
            } else {
                spec.commandLine().getOut().println(describe(result.get()));
            }
            return 0;
        }
    }
}
