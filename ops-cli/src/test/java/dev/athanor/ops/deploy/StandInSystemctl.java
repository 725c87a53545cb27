package dev.athanor.ops.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Shell scripts standing in for {@code systemctl} and {@code journalctl}: each call appends its arguments as one line
 * to {@code calls}, and answers as told by {@link #answer}: what it prints and its exit code. A {@code start} also
 * appends the slot's environment file as the unit would read it then; a {@code stop} told to {@link #hang} waits
 * until a {@code kill} comes, as systemd's stop waits for the process to end.
 */
final class StandInSystemctl {

    private final Path directory;
    private final Path installDirectory;

    StandInSystemctl(Path directory, Path installDirectory) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.installDirectory = installDirectory;
        Files.createDirectories(directory.resolve("answers"));
        String script = """
                #!/bin/sh
                printf '%s\\n' "$*" >> "DIR/calls"
                key=$(printf '%s' "$*" | tr -c 'A-Za-z0-9@.-' '_')
                if [ "$1" = start ]; then
                  slot=${2#athanor@}; slot=${slot%.service}
                  sed 's/^/  | /' "INSTALL/instances/$slot.env" >> "DIR/calls" 2>/dev/null \\
                    || echo "  | no file" >> "DIR/calls"
                fi
                if [ -f "DIR/answers/$key.hang" ]; then
                  while [ ! -f "DIR/killed" ]; do sleep 0.05; done
                fi
                if [ "$1" = kill ]; then touch "DIR/killed"; fi
                if [ -f "DIR/answers/$key.out" ]; then cat "DIR/answers/$key.out"; fi
                exit "$(cat "DIR/answers/$key.exit" 2>/dev/null || echo 0)"
                """.replace("DIR", directory.toString()).replace("INSTALL", installDirectory.toString());
        for (String program : List.of("systemctl", "journalctl")) {
            Path file = Files.writeString(directory.resolve(program), script);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    Systemctl systemctl() {
        return new Systemctl(directory.resolve("systemctl").toString(), directory.resolve("journalctl").toString());
    }

    /** For the call with these arguments: print {@code output}, exit with {@code exitCode}. */
    StandInSystemctl answer(String arguments, int exitCode, String output) throws IOException {
        Files.writeString(directory.resolve("answers").resolve(key(arguments) + ".out"), output);
        Files.writeString(directory.resolve("answers").resolve(key(arguments) + ".exit"), Integer.toString(exitCode));
        return this;
    }

    /** The call with these arguments waits until a {@code kill} call comes. */
    StandInSystemctl hang(String arguments) throws IOException {
        Files.writeString(directory.resolve("answers").resolve(key(arguments) + ".hang"), "");
        return this;
    }

    /** Every call so far, one line each (a start followed by the environment file's lines, each after "  | "). */
    List<String> calls() throws IOException {
        Path calls = directory.resolve("calls");
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    private static String key(String arguments) {
        return arguments.replaceAll("[^A-Za-z0-9@.-]", "_");
    }
}
