package dev.athanor.platform.web;

import java.util.Locale;

/** Reads a request's {@code Accept-Encoding} header, honouring {@code q=0} refusals. */
public final class AcceptEncoding {

    private AcceptEncoding() {
    }

    /** Whether a response compressed with gzip is acceptable to a client that sent {@code header}. */
    public static boolean allowsGzip(String header) {
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
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return !refused;
            }
            if (coding.equals("*")) {
                wildcard = !refused;
            }
        }
        return wildcard;
    }
}
