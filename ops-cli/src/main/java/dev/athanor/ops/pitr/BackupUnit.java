package dev.athanor.ops.pitr;

import dev.athanor.backup.pitr.BackupType;
import dev.athanor.backup.pitr.PitrException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A base backup of a system PostgreSQL taken by {@code athanor-pitr@TYPE.service}, which runs pgBackRest as
 * {@code postgres}: the way the scheduler, running as {@code athanor}, backs up a cluster it may not touch itself
 * (polkit allows it to start these units and nothing else).
 */
final class BackupUnit {

    private BackupUnit() {
    }

    /** The unit for {@code type}. */
    static String name(BackupType type) {
        return "athanor-pitr@" + type.name().toLowerCase(Locale.ROOT) + ".service";
    }

    /** Starts the unit and waits for it; a failure names the unit and the end of its journal. */
    static void run(BackupType type) throws PitrException {
        String unit = name(type);
        Result start = command(List.of("systemctl", "start", "--wait", unit));
        if (start.exitCode() != 0) {
            Result journal = command(List.of("journalctl", "--unit", unit, "--lines", "6", "--no-pager", "--quiet"));
            throw new PitrException("systemctl start " + unit + " failed (exit " + start.exitCode() + "): "
                    + start.output().strip() + (journal.exitCode() == 0 ? "; its journal: "
                    + String.join(" | ", journal.output().strip().lines().toList()) : ""), PitrException.FAILED);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result command(List<String> command) throws PitrException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            throw new PitrException("could not run " + command.get(0) + ": " + e.getMessage(), PitrException.FAILED, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PitrException(command.get(0) + " was interrupted", PitrException.FAILED, e);
        }
    }
}
