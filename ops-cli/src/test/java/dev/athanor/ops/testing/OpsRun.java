package dev.athanor.ops.testing;

import dev.athanor.ops.Ops;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of {@code ops}, in the test JVM ({@link #of}) or as a process of its own: its exit code and what it printed
 * on each stream.
 */
public record OpsRun(int exitCode, String out, String err) {

    public static OpsRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Ops.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), args).execute(args);
        return new OpsRun(exitCode, out.toString(), err.toString());
    }
}
