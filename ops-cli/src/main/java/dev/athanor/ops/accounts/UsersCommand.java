package dev.athanor.ops.accounts;

import dev.athanor.accounts.Accounts;
import dev.athanor.ops.OpsFailure;
import dev.athanor.ops.SiteParts;
import dev.athanor.ops.shared.ConfigOption;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ops users}: the operator's accounts, disabling an account, and resetting its two-factor sign-in. */
@Command(name = "users", description = "Create operator accounts; disable and enable accounts; reset two-factor"
        + " sign-in.", subcommands = {UsersCommand.CreateAdmin.class, UsersCommand.Disable.class,
            UsersCommand.Enable.class, UsersCommand.ResetTwoFactor.class})
public final class UsersCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create-admin", description = {"Create an operator account (or make an existing account an"
            + " operator, with this password), its address confirmed.",
        "The password is asked for twice on a terminal; otherwise it is read from the first line of standard input:"
            + " echo \"$PASSWORD\" | ops users create-admin EMAIL"})
    static final class CreateAdmin implements Callable<Integer> {

        @Parameters(paramLabel = "EMAIL", description = "The operator's email address.")
        private String email;

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Optional<String> password = password();
            if (password.isEmpty()) {
                spec.commandLine().getErr().println("ops: no password given (type it twice, or pipe it in on"
                        + " standard input)");
                return OpsFailure.USAGE;
            }
            try (SiteParts site = SiteParts.open(config)) {
                Optional<Accounts.Problem> problem = site.accounts().createOperator(email, password.get());
                if (problem.isPresent()) {
                    spec.commandLine().getErr().println("ops: " + problem.get().field() + ": "
                            + problem.get().message());
                    return OpsFailure.DATA;
                }
                spec.commandLine().getOut().println("Operator " + email.strip() + " can sign in at /login and"
                        + " reach /admin.");
                return 0;
            }
        }

        private Optional<String> password() throws java.io.IOException {
            Console console = System.console();
            if (console != null) {
                char[] first = console.readPassword("Password for %s: ", email);
                char[] second = console.readPassword("Again: ");
                if (first == null || second == null || !Arrays.equals(first, second)) {
                    console.printf("The two passwords differ.%n");
                    return Optional.empty();
                }
                return Optional.of(new String(first));
            }
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null || line.isEmpty() ? Optional.empty() : Optional.of(line);
        }
    }

    @Command(name = "disable", description = "Disable an account: it cannot sign in, and its sessions end now.")
    static final class Disable implements Callable<Integer> {

        @Parameters(paramLabel = "EMAIL")
        private String email;

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return setDisabled(spec, config, email, true);
        }
    }

    @Command(name = "enable", description = "Enable a disabled account again.")
    static final class Enable implements Callable<Integer> {

        @Parameters(paramLabel = "EMAIL")
        private String email;

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return setDisabled(spec, config, email, false);
        }
    }

    @Command(name = "reset-2fa", description = {"Remove an account's second factors (its authenticator app) and"
            + " recovery codes, and end its sessions, for someone who has lost both.",
        "The account then signs in with its password alone; an operator is asked to set up an authenticator again"
            + " before the operator pages open."})
    static final class ResetTwoFactor implements Callable<Integer> {

        @Parameters(paramLabel = "EMAIL")
        private String email;

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (SiteParts site = SiteParts.open(config)) {
                Optional<Accounts.TwoFactorReset> reset = site.accounts().resetTwoFactor(email);
                if (reset.isEmpty()) {
                    spec.commandLine().getErr().println("ops: no account has the address " + email);
                    return OpsFailure.NO_INPUT;
                }
                Accounts.TwoFactorReset done = reset.get();
                spec.commandLine().getOut().println(email.strip() + ": removed " + plural(done.factors(),
                        "second factor") + " and " + plural(done.recoveryCodes(), "recovery code") + "; ended "
                        + plural(done.sessions(), "session") + ". It signs in with its password alone now.");
                return 0;
            }
        }

        private static String plural(int count, String noun) {
            return count + " " + noun + (count == 1 ? "" : "s");
        }
    }

    private static int setDisabled(CommandSpec spec, ConfigOption config, String email, boolean disabled)
            throws Exception {
        try (SiteParts site = SiteParts.open(config)) {
            if (!site.accounts().setDisabled(email, disabled)) {
                spec.commandLine().getErr().println("ops: no account has the address " + email);
                return OpsFailure.NO_INPUT;
            }
            spec.commandLine().getOut().println(email.strip() + (disabled ? " is disabled; its sessions ended."
                    : " is enabled again."));
            return 0;
        }
    }
}
