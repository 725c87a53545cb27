package dev.athanor.ops.monitoring;

/**
 * One result of {@code ops doctor}: what was checked, how it stands, and for a problem the fix, in words the operator
 * can act on.
 */
public record Finding(Level level, String check, String message, String fix) {

    public enum Level {
        OK, WARN, FAIL
    }

    public static Finding ok(String check, String message) {
        return new Finding(Level.OK, check, message, null);
    }

    public static Finding warn(String check, String message, String fix) {
        return new Finding(Level.WARN, check, message, fix);
    }

    static Finding fail(String check, String message, String fix) {
        return new Finding(Level.FAIL, check, message, fix);
    }
}
