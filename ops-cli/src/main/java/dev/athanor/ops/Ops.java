package dev.athanor.ops;

import dev.athanor.ops.shared.ConfigOption;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ops} command: the operator's tool over SSH. Exceptions become one line on standard error and an exit code
 * here, in one place; commands print through the command line's writers so tests can read what they say.
 */
public final class Ops {

    private Ops() {
    }

    public static void main(String[] args) {
        ConfigOption.prepareInBackground();
        System.exit(forArguments(args).execute(args));
    }

    /** A fresh command line for {@code ops}, with every command and its error handling installed. */
    public static CommandLine commandLine() {
        return withCommands(OpsCommand.COMMANDS);
    }

    /**
     * The command line for {@code args}: with only the command they name first (and its subcommands), when they
     * name one. picocli builds its model of a command by reflection when it is added, and the sixty-odd of them
     * took a quarter to a third of a second at every start; anything else (no command, help, a typo) gets them all.
     */
    static CommandLine forArguments(String... args) {
        if (args.length > 0) {
            for (Class<?> command : OpsCommand.COMMANDS) {
                if (command.getAnnotation(Command.class).name().equals(args[0])) {
                    return withCommands(List.of(command));
                }
            }
        }
        return commandLine();
    }

    private static CommandLine withCommands(List<Class<?>> commands) {
        CommandLine commandLine = new CommandLine(new OpsCommand());
        commands.forEach(commandLine::addSubcommand);
        commandLine.setExecutionExceptionHandler(Ops::handleFailure);
        return commandLine;
    }

    /** The command line {@code main} runs for {@code args}, printing to writers a test can capture. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = forArguments(args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine;
    }

    private static int handleFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        OpsFailure failure = OpsFailure.of(e);
        commandLine.getErr().println("ops: " + failure.message());
        commandLine.getErr().flush();
        return failure.exitCode();
    }
}
