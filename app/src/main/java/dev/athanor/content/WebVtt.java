package dev.athanor.content;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the WebVTT files lessons carry as captions: the {@code WEBVTT} signature line and its header,
 * {@code NOTE}, {@code STYLE} and {@code REGION} blocks (kept in the file, skipped here), and cues: an optional
 * identifier, the timing line ({@code 00:01.000 --> 00:04.500} or with hours, settings after it), and the text. Cue
 * text loses its markup ({@code <v Ana>}, {@code <i>}, timestamps) and its character references for the transcript
 * and search; the file itself is served as written. Anything else is refused with the file and the line, as the rest
 * of an import is: a browser would silently drop a malformed cue, and a learner would miss what was said.
 */
final class WebVtt {

    /** Hours optional; minutes and seconds two digits below 60; exactly three digits of milliseconds. */
    private static final Pattern TIMESTAMP = Pattern.compile("(?:(\\d{2,}):)?([0-5]\\d):([0-5]\\d)\\.(\\d{3})");
    private static final Pattern TIMING = Pattern.compile("(\\S+)[ \\t]+-->[ \\t]+(\\S+)(?:[ \\t]+.*)?");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern LANGUAGE_HEADER = Pattern.compile("(?i)language:[ \\t]*(\\S+)[ \\t]*");

    /** One cue: its moment, its text without markup (lines joined by spaces), and the line its timing stands on. */
    record Cue(int startMillis, int endMillis, String text, int line) {
    }

    /**
     * A read file: its text as the site serves it, its cues in order, and the language its header declares
     * ({@code Language: en}, as some tools write), with that line, when it does.
     */
    record Track(String text, List<Cue> cues, Optional<String> declaredLanguage, int languageLine) {
    }

    private final Path file;
    private final String[] lines;
    private int at;

    private WebVtt(Path file, String[] lines) {
        this.file = file;
        this.lines = lines;
    }

    /**
     * Reads {@code text}, the contents of {@code file} (named relative to the content folder in errors).
     *
     * @throws ContentImportException naming the line of the first problem
     */
    static Track read(Path file, String text) throws ContentImportException {
        String normalized = text.startsWith("\uFEFF") ? text.substring(1) : text;
        normalized = normalized.replace("\r\n", "\n").replace('\r', '\n');
        return new WebVtt(file, normalized.split("\n", -1)).read(normalized);
    }

    private Track read(String normalized) throws ContentImportException {
        String signature = lines[0];
        if (!(signature.equals("WEBVTT") || signature.startsWith("WEBVTT ") || signature.startsWith("WEBVTT\t"))) {
            throw problem(1, "not a WebVTT file: the first line must be 'WEBVTT'");
        }
        Optional<String> language = Optional.empty();
        int languageLine = 0;
        for (at = 1; at < lines.length && !lines[at].isEmpty(); at++) {
            if (lines[at].contains("-->")) {
                throw problem(at + 1, "a blank line must separate the 'WEBVTT' header from the first cue");
            }
            Matcher declared = LANGUAGE_HEADER.matcher(lines[at]);
            if (declared.matches()) {
                language = Optional.of(declared.group(1));
                languageLine = at + 1;
            }
        }
        List<Cue> cues = new ArrayList<>();
        while (skipBlankLines()) {
            int start = at;
            String first = lines[at];
            if (!first.contains("-->") && isBlockOf(first, "NOTE")) {
                skipBlock();
                continue;
            }
            if (!first.contains("-->") && (isBlockOf(first, "STYLE") || isBlockOf(first, "REGION"))) {
                if (!cues.isEmpty()) {
                    throw problem(start + 1, "a " + first.strip() + " block must come before the first cue");
                }
                skipBlock();
                continue;
            }
            if (!first.contains("-->")) {
                at++; // a cue identifier
                if (at >= lines.length || lines[at].isEmpty()) {
                    throw problem(start + 1, "'" + shorten(first) + "' is neither a cue timing such as"
                            + " '00:01.000 --> 00:04.000' nor a cue identifier followed by one");
                }
            }
            cues.add(cue(cues.isEmpty() ? null : cues.get(cues.size() - 1)));
        }
        return new Track(normalized, List.copyOf(cues), language, languageLine);
    }

    private Cue cue(Cue previous) throws ContentImportException {
        int line = at + 1;
        Matcher timing = TIMING.matcher(lines[at]);
        if (!timing.matches()) {
            throw problem(line, "bad cue timing '" + shorten(lines[at]) + "': write it as"
                    + " '00:01.000 --> 00:04.000' (or with hours, 01:02:03.000)");
        }
        int start = millis(timing.group(1), line);
        int end = millis(timing.group(2), line);
        if (end <= start) {
            throw problem(line, "the cue ends (" + timing.group(2) + ") before it starts (" + timing.group(1) + ")");
        }
        if (previous != null && start < previous.startMillis()) {
            throw problem(line, "the cue starts (" + timing.group(1) + ") before the one above it: cues must be in"
                    + " order of their start");
        }
        StringBuilder text = new StringBuilder();
        for (at++; at < lines.length && !lines[at].isEmpty(); at++) {
            if (lines[at].contains("-->")) {
                throw problem(at + 1, "a cue timing inside a cue's text: put a blank line before it");
            }
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(lines[at].strip());
        }
        return new Cue(start, end, plain(text.toString()), line);
    }

    private int millis(String timestamp, int line) throws ContentImportException {
        Matcher parts = TIMESTAMP.matcher(timestamp);
        if (!parts.matches()) {
            throw problem(line, "bad timestamp '" + shorten(timestamp) + "': write MM:SS.mmm or HH:MM:SS.mmm,"
                    + " such as 00:04.500");
        }
        long hours = parts.group(1) == null ? 0 : Long.parseLong(parts.group(1));
        long total = ((hours * 60 + Integer.parseInt(parts.group(2))) * 60 + Integer.parseInt(parts.group(3))) * 1000
                + Integer.parseInt(parts.group(4));
        if (total > Integer.MAX_VALUE) {
            throw problem(line, "timestamp '" + timestamp + "' is beyond any video's length");
        }
        return (int) total;
    }

    /** Moves to the next non-blank line; false at the end of the file. */
    private boolean skipBlankLines() {
        while (at < lines.length && lines[at].isBlank()) {
            at++;
        }
        return at < lines.length;
    }

    private void skipBlock() {
        while (at < lines.length && !lines[at].isEmpty()) {
            at++;
        }
    }

    private static boolean isBlockOf(String line, String keyword) {
        return line.equals(keyword) || line.startsWith(keyword + " ") || line.startsWith(keyword + "\t");
    }

    /** Cue text without tags and with its character references read, as a person would read it aloud. */
    static String plain(String cueText) {
        String text = TAG.matcher(cueText).replaceAll("");
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ").replace("&lrm;", "")
                .replace("&rlm;", "").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
        return text.replaceAll("\\s+", " ").strip();
    }

    private ContentImportException problem(int line, String what) {
        return new ContentImportException(file, line, what);
    }

    private static String shorten(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
