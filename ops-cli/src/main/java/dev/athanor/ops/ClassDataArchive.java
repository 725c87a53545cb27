package dev.athanor.ops;

import dev.athanor.ops.monitoring.Finding;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code systemd/ops-java} told this JVM about ops's class-data archive, in the system property
 * {@value #PROPERTY}: the archive it gave the JVM (its path), none for this jar, JDK and options, or one it would not
 * give (not root's, or writable by others). Nothing when ops was started some other way ({@code java -jar},
 * {@code ./dev ops}). An archive given is not proof of one used: the JVM quietly skips one that does not match it
 * (damaged, or made with a JDK whose own archive has changed since), and ops runs as it would without.
 *
 * @param path the archive, when there is one
 */
public record ClassDataArchive(State state, Optional<Path> path) {

    static final String PROPERTY = "ops.classDataArchive";
    private static final String REFUSED = "refused:";

    enum State {
        GIVEN, NONE, REFUSED
    }

    /** As the launcher of this JVM set it. */
    public static Optional<ClassDataArchive> ofLauncher() {
        return parse(System.getProperty(PROPERTY));
    }

    /** Reads the property's value: {@code none}, {@code refused:PATH}, or the path of the archive given. */
    static Optional<ClassDataArchive> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        if (value.equals("none")) {
            return Optional.of(new ClassDataArchive(State.NONE, Optional.empty()));
        }
        if (value.startsWith(REFUSED)) {
            return Optional.of(new ClassDataArchive(State.REFUSED, Optional.of(Path.of(value.substring(
                    REFUSED.length())))));
        }
        return Optional.of(new ClassDataArchive(State.GIVEN, Optional.of(Path.of(value))));
    }

    /** For {@code ops doctor}: an archive missing or refused is a warning (ops works, only starts slower). */
    public Finding finding() {
        String fix = "ops --write-archive backup run";
        return switch (state) {
            case GIVEN -> Finding.ok("class data", "ops-java gives the JVM ops's class-data archive "
                    + path.orElseThrow() + " (the JVM skips one that does not match it)");
            case NONE -> Finding.warn("class data", "no class-data archive for this ops.jar, Java and OPS_JAVA_OPTS"
                    + " (after an upgrade of either): every ops command starts slower, `ops backup run` starts"
                    + " pg_dump about 0.3 s later", fix);
            case REFUSED -> Finding.warn("class data", path.orElseThrow() + " is not used: an archive must be"
                    + " root's (or, in an OPS_CDS_DIR of one's own, one's own), and writable by nobody else", fix);
        };
    }

    /** For {@code ops version}: a few words. */
    String describe() {
        return switch (state) {
            case GIVEN -> "class-data archive " + path.orElseThrow();
            case NONE -> "no class-data archive";
            case REFUSED -> "class-data archive " + path.orElseThrow() + " not used";
        };
    }
}
