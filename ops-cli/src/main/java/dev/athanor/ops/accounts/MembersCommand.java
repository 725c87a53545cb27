package dev.athanor.ops.accounts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.billing.Billing;
import dev.athanor.ops.OpsFailure;
import dev.athanor.ops.SiteParts;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ops members}: access given by hand (payments outside Stripe, gifts), and who has access now. */
@Command(name = "members", description = "Give and revoke access by hand; list everyone with access.",
        subcommands = {MembersCommand.Grant.class, MembersCommand.Revoke.class, MembersCommand.List.class})
public final class MembersCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static String actor() {
        return "ops:" + System.getProperty("user.name", "?");
    }

    @Command(name = "grant", description = {"Give an account access to every lesson until the end of a day (UTC).",
        "The learner gets a mail; the grant is written to the audit table."})
    static final class Grant implements Callable<Integer> {

        @Parameters(paramLabel = "EMAIL", description = "The learner's account address.")
        private String email;

        @Option(names = "--until", required = true, paramLabel = "DATE", description = "The last day, YYYY-MM-DD.")
        private LocalDate until;

        @Option(names = "--note", defaultValue = "", paramLabel = "TEXT",
                description = "Why (kept in the audit table, not sent).")
        private String note;

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (SiteParts site = SiteParts.open(config)) {
                site.billing().grant(email, until, note, actor());
                spec.commandLine().getOut().println(email.strip() + " has access until the end of " + until
                        + " (UTC).");
                return 0;
            } catch (Billing.Refused e) {
                spec.commandLine().getErr().println("ops: " + e.getMessage());
                return OpsFailure.DATA;
            }
        }
    }

    @Command(name = "revoke", description = "End an account's manual grant now (written to the audit table).")
    static final class Revoke implements Callable<Integer> {

        @Parameters(paramLabel = "EMAIL")
        private String email;

        @Option(names = "--note", defaultValue = "", paramLabel = "TEXT", description = "Why.")
        private String note;

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (SiteParts site = SiteParts.open(config)) {
                if (!site.billing().revoke(email, note, actor())) {
                    spec.commandLine().getErr().println("ops: " + email.strip() + " has no grant running");
                    return OpsFailure.NO_INPUT;
                }
                spec.commandLine().getOut().println("The grant of " + email.strip() + " has ended.");
                return 0;
            } catch (Billing.Refused e) {
                spec.commandLine().getErr().println("ops: " + e.getMessage());
                return OpsFailure.NO_INPUT;
            }
        }
    }

    @Command(name = "list", description = "Everyone with access now: grants and live Stripe subscriptions.")
    static final class List implements Callable<Integer> {

        @Mixin
        private JsonOption json;

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (SiteParts site = SiteParts.open(config)) {
                java.util.List<Billing.Member> members = site.billing().members();
                PrintWriter out = spec.commandLine().getOut();
                if (json.enabled()) {
                    out.println(new ObjectMapper().writeValueAsString(members));
                    return 0;
                }
                out.printf("%-36s %-32s %-10s %s%n", "EMAIL", "HOW", "UNTIL", "NOTE");
                for (Billing.Member member : members) {
                    out.printf("%-36s %-32s %-10s %s%n", member.email(), member.source(), member.until(),
                            member.note());
                }
                return 0;
            }
        }
    }
}
