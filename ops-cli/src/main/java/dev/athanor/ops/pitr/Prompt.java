package dev.athanor.ops.pitr;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A yes-or-no question on the terminal; without one (cron, systemd, a pipe) the answer is no. */
final class Prompt {

    private Prompt() {
    }

    static boolean confirm(PrintWriter out, String question) {
        if (System.console() == null) {
            return false;
        }
        out.print(question + " [y/N] ");
        out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("y");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
