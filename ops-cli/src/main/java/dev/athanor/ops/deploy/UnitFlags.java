package dev.athanor.ops.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM flags of a unit's {@code ExecStart} (between {@code java} and {@code -jar}), so that a local instance runs
 * with the memory flags systemd would give it. The out-of-memory hook is left out: it names the unit's paths. Public for
 * the tests that run a release's programs as its units would (the two-node topology).
 */
public final class UnitFlags {

    private static final Pattern WORD = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+)");

    private UnitFlags() {
    }

    /** The flags between {@code java} and {@code -jar} in {@code unitFile}'s {@code ExecStart}. */
    public static List<String> javaFlags(Path unitFile) throws DeployException {
        String execStart;
        try {
            execStart = Files.readString(unitFile).replace("\\\n", " ").lines()
                    .filter(line -> line.startsWith("ExecStart=")).findFirst()
                    .orElseThrow(() -> new DeployException(unitFile + " has no ExecStart", 65));
        } catch (IOException e) {
            throw new DeployException("cannot read " + unitFile + ": " + e.getMessage(), 74, e);
        }
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(execStart.substring("ExecStart=".length()));
        while (matcher.find()) {
            words.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
        }
        int jar = words.indexOf("-jar");
        if (words.isEmpty() || !words.get(0).endsWith("java") || jar < 0) {
            throw new DeployException(unitFile + ": ExecStart does not run java ... -jar", 65);
        }
        return words.subList(1, jar).stream().filter(flag -> !flag.startsWith("-XX:OnOutOfMemoryError")).toList();
    }
}
