package dev.athanor.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.billing.Billing;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ops billing reconcile}: applies the Stripe events whose webhook delivery failed. */
@Command(name = "billing", description = "Stripe: catch up on events the webhook missed.",
        subcommands = BillingCommand.Reconcile.class)
final class BillingCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "reconcile", description = {"List the Stripe events of the last days whose delivery to the"
            + " webhook failed and apply them (each at most once: the event ledger skips those already applied).",
        "Run daily by the scheduler; run it by hand after a webhook outage."})
    static final class Reconcile implements Callable<Integer> {

        @Option(names = "--days", defaultValue = "3", paramLabel = "N",
                description = "How far back to look (at most 30, Stripe's event retention). Default 3.")
        private int days;

        @Option(names = "--json", description = "Print the counts as JSON.")
        private boolean json;

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (SiteParts site = SiteParts.open(config)) {
                Billing billing = site.billing();
                if (!billing.isOffered()) {
                    spec.commandLine().getErr().println("ops: Stripe is not configured (billing.secretKey)");
                    return OpsFailure.CONFIG;
                }
                Billing.Reconciliation result = billing.reconcile(Duration.ofDays(Math.max(1, days)));
                if (json) {
                    spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(result));
                } else {
                    spec.commandLine().getOut().printf("%d undelivered event(s): %d applied, %d already applied,"
                            + " %d of no concern%n", result.undelivered(), result.applied(), result.alreadyApplied(),
                            result.ignored());
                }
                return 0;
            }
        }
    }
}
