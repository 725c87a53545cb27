package dev.athanor.common;

import java.util.Locale;

/**
 * Byte counts as people read them, the same in every module and every message: binary units (1 KiB is 1024 bytes),
 * one decimal place from a KiB on: {@code "512 B"}, {@code "1.5 KiB"}, {@code "20.0 GiB"}. Config files keep their own
 * syntax ({@code 64KiB}); this is for output only.
 */
public final class Sizes {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Sizes() {
    }

    /** {@code bytes} in the largest binary unit that leaves at least 1; negative counts read with a leading "-". */
    public static String human(long bytes) {
        String sign = bytes < 0 ? "-" : "";
        if (Math.abs((double) bytes) < 1024) {
            return sign + Math.abs(bytes) + " B";
        }
        double value = Math.abs((double) bytes);
        int unit = 0;
        // 1023.95 and up would print as "1024.0": the next unit reads better
        while (value >= 1023.95 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return sign + String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
