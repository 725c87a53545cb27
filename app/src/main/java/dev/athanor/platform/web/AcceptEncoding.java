package dev.athanor.platform.web;

import java.util.Locale;

/** Reads a request's {@code Accept-Encoding} header (gzip, Brotli), honouring {@code q=0} refusals. */
public final class AcceptEncoding {

    private AcceptEncoding() {
    }

    /** Whether a response compressed with gzip is acceptable to a client that sent {@code header}. */
    public static boolean allowsGzip(String header) {
        return allows(header, "gzip", "x-gzip");
    }

    /** Whether a response compressed with Brotli is acceptable to a client that sent {@code header}. */
    public static boolean allowsBrotli(String header) {
        return allows(header, "br", "br");
    }

    private static boolean allows(String header, String name, String alias) {
        if (header == null) {
            return false;
        }
        boolean wildcard = false;
        for (String part : header.split(",")) {
            String[] pieces = part.split(";");
            String coding = pieces[0].strip().toLowerCase(Locale.ROOT);
            boolean refused = false;
            for (int i = 1; i < pieces.length; i++) {
                String parameter = pieces[i].strip().toLowerCase(Locale.ROOT).replace(" ", "");
                if (parameter.startsWith("q=")) {
                    refused = parameter.matches("q=0(\\.0{0,3})?");
                }
            }
            if (coding.equals(name) || coding.equals(alias)) {
                return !refused;
            }
            if (coding.equals("*")) {
                wildcard = !refused;
            }
        }
        return wildcard;
    }
}
