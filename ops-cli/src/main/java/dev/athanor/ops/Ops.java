package dev.athanor.ops;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The {@code ops} command: the operator's tool over SSH. Exceptions become one line on standard error and an exit code
 * here, in one place; commands print through the command line's writers so tests can read what they say.
 */
public final class Ops {

    private Ops() {
    }

    public static void main(String[] args) {
        ConfigOption.prepareInBackground();
        System.exit(commandLine().execute(args));
    }

    /** A fresh command line for {@code ops}, with its error handling installed. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new OpsCommand());
        commandLine.setExecutionExceptionHandler(Ops::handleFailure);
        return commandLine;
    }

    /** Writers a test can capture. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = commandLine();
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
