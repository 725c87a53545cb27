package dev.athanor.ops.nginx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.common.Durations;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ops maintenance on|off|status}: nginx answers visitors with a maintenance page while the operator works. */
@Command(name = "maintenance", description = {"Maintenance mode: nginx answers every visitor with a 503 maintenance"
        + " page (Retry-After: 60) and /health with 503, while the operator's addresses still reach the site.",
        "The operator's addresses: nginx.operatorAddresses, each --allow, and the address an SSH session comes from."},
        subcommands = {MaintenanceCommand.On.class, MaintenanceCommand.Off.class, MaintenanceCommand.Status.class})
public final class MaintenanceCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The address this SSH session comes from ({@code $SSH_CLIENT}'s first word), if ops runs over SSH. */
    static Optional<String> sshClient(String sshClient) {
        if (sshClient == null || sshClient.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(sshClient.strip().split("\\s+")[0]).filter(dev.athanor.monitoring.nginx.NginxIncludes::isAddress);
    }

    @Command(name = "on", description = "Turn maintenance on (again: the message and addresses are replaced).")
    static final class On implements Callable<Integer> {

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Option(names = "--message", paramLabel = "TEXT", description = "What visitors read (plain text; default: a"
                + " calm \"back in a few minutes\").")
        private String message;

        @Option(names = "--allow", paramLabel = "ADDR", description = "Another address or CIDR range that still"
                + " reaches the site (repeatable).")
        private List<String> allowed = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            List<String> extra = new ArrayList<>(allowed);
            sshClient(System.getenv("SSH_CLIENT")).ifPresent(extra::add);
            NginxControl nginx = NginxControl.of(config.load());
            nginx.maintenanceOn(message, extra);
            MaintenanceState state = nginx.maintenance().orElseThrow();
            spec.commandLine().getOut().println("Maintenance is on: visitors get the maintenance page (503), /health"
                    + " answers 503; " + String.join(", ", state.addresses()) + " still reach the site."
                    + " End it with: ops maintenance off");
            return 0;
        }
    }

    @Command(name = "off", description = "Turn maintenance off: every visitor reaches the site again.")
    static final class Off implements Callable<Integer> {

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            NginxControl nginx = NginxControl.of(config.load());
            Optional<MaintenanceState> was = nginx.maintenance();
            nginx.maintenanceOff();
            spec.commandLine().getOut().println(was.map(state -> "Maintenance is off after " + Durations.human(
                    Duration.between(state.since(), Instant.now())) + ": every visitor reaches the site again.")
                    .orElse("Maintenance was already off."));
            return 0;
        }
    }

    @Command(name = "status", description = "Whether maintenance is on, since when, with what message.")
    static final class Status implements Callable<Integer> {

        @Mixin
        private ConfigOption config;

        @Mixin
        private JsonOption json;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Optional<MaintenanceState> state = NginxControl.of(config.load()).maintenance();
            PrintWriter out = spec.commandLine().getOut();
            if (json.enabled()) {
                ObjectNode node = new ObjectMapper().createObjectNode().put("on", state.isPresent());
                state.ifPresent(on -> {
                    node.put("since", on.since().toString()).put("message", on.message());
                    on.addresses().forEach(node.putArray("addresses")::add);
                });
                out.println(node);
            } else {
                out.println(state.map(MaintenanceCommand::describe).orElse("Maintenance is off."));
            }
            return 0;
        }
    }

    /** One line for a human: since when, what visitors read, who gets through. */
    public static String describe(MaintenanceState state) {
        return "Maintenance is on since " + state.since() + " (" + Durations.human(Duration.between(state.since(),
                Instant.now())) + "): \"" + state.message() + "\"; " + String.join(", ", state.addresses())
                + " still reach the site (ops maintenance off ends it)";
    }
}
