package dev.athanor.ops.shared;

import picocli.CommandLine.Option;

/**
 * {@code --json}, shared by the commands that print a result a script may read: the same name and words in every
 * command's help. Each command decides what its JSON holds; {@code ops logs} keeps an option of its own, since there
 * {@code --json} means the log lines as they are in the file.
 */
public final class JsonOption {

    @Option(names = "--json", description = "Print the result as JSON, for scripts.")
    private boolean json;

    /** Whether {@code --json} was given. */
    public boolean enabled() {
        return json;
    }
}
