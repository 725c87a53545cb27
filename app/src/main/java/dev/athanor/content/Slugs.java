package dev.athanor.content;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** The rules for slugs, the stable last part of an address: lower-case letters, digits and single hyphens. */
final class Slugs {

    private static final Pattern VALID = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
    static final int MAX_LENGTH = 120;

    private Slugs() {
    }

    static boolean isValid(String slug) {
        return slug.length() <= MAX_LENGTH && VALID.matcher(slug).matches();
    }

    /** A slug made from a name, such as {@code "Type-Driven Café"} to {@code type-driven-cafe}. */
    static String of(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return slug.length() > MAX_LENGTH ? slug.substring(0, MAX_LENGTH).replaceAll("-+$", "") : slug;
    }
}
