package dev.athanor.ops;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code systemd/ops-java} told this JVM about ops's class-data archive, in the system property
 * {@value #PROPERTY}: mapped (its path), none for this jar, JDK and options, or one it would not map (not root's, or
 * writable by others). Nothing when ops was started some other way ({@code java -jar}, {@code ./dev ops}).
 *
 * @param path the archive, when there is one
 */
record ClassDataArchive(State state, Optional<Path> path) {

    static final String PROPERTY = "ops.classDataArchive";
    private static final String REFUSED = "refused:";

    enum State {
        MAPPED, NONE, REFUSED
    }

    /** As the launcher of this JVM set it. */
    static Optional<ClassDataArchive> ofLauncher() {
        return parse(System.getProperty(PROPERTY));
    }

    /** Reads the property's value: {@code none}, {@code refused:PATH}, or the path of the archive mapped. */
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
        return Optional.of(new ClassDataArchive(State.MAPPED, Optional.of(Path.of(value))));
    }

    /** For {@code ops doctor}: an archive missing or refused is a warning (ops works, only starts slower). */
    Finding finding() {
        String fix = "ops --write-archive backup run";
        return switch (state) {
            case MAPPED -> Finding.ok("class data", "ops maps its class-data archive " + path.orElseThrow());
            case NONE -> Finding.warn("class data", "no class-data archive for this ops.jar, Java and OPS_JAVA_OPTS"
                    + " (after an upgrade of either): every ops command starts slower, `ops backup run` starts"
                    + " pg_dump about 0.3 s later", fix);
            case REFUSED -> Finding.warn("class data", path.orElseThrow() + " is not mapped: an archive must be"
                    + " root's, and writable by nobody else", fix);
        };
    }

    /** For {@code ops version}: a few words. */
    String describe() {
        return switch (state) {
            case MAPPED -> "class-data archive " + path.orElseThrow();
            case NONE -> "no class-data archive";
            case REFUSED -> "class-data archive " + path.orElseThrow() + " not mapped";
        };
    }
}
