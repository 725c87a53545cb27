package dev.athanor.platform.db;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A migration's SQL as {@link MigrationLint} reads it: words, quoted names, punctuation and string literals, each with
 * its line, and without comments. Statements end at {@code ;} and at the edges of a dollar-quoted body, whose text is
 * read as SQL too (a {@code DO $$ ... $$} block or a function may run any statement), string literals inside such a
 * body included (PL/pgSQL's {@code EXECUTE 'ALTER TABLE ...'}). Outside bodies, string literals are only values.
 */
final class SqlTokens {

    enum Type { WORD, NAME, STRING, SYMBOL }

    /** One token; a word's text as written, a quoted name's without its quotes. */
    record Token(Type type, String text, int line) {

        /** Whether this is the keyword {@code word} (given in upper case). */
        boolean is(String word) {
            return type == Type.WORD && text.equalsIgnoreCase(word);
        }

        boolean isSymbol(String symbol) {
            return type == Type.SYMBOL && text.equals(symbol);
        }
    }

    private final String sql;
    private final int[] lineStarts;
    private final List<List<Token>> statements = new ArrayList<>();
    private List<Token> current = new ArrayList<>();

    private SqlTokens(String sql) {
        this.sql = sql;
        this.lineStarts = lineStarts(sql);
    }

    /** The statements of {@code sql}, each a non-empty list of tokens, in order. */
    static List<List<Token>> statements(String sql) {
        SqlTokens tokens = new SqlTokens(sql);
        tokens.read(0, sql.length(), false);
        tokens.endStatement();
        return tokens.statements;
    }

    private void read(int from, int to, boolean insideBody) {
        int at = from;
        while (at < to) {
            char c = sql.charAt(at);
            if (Character.isWhitespace(c)) {
                at++;
            } else if (c == '-' && at + 1 < to && sql.charAt(at + 1) == '-') {
                at = lineEnd(at, to);
            } else if (c == '/' && at + 1 < to && sql.charAt(at + 1) == '*') {
                at = commentEnd(at, to);
            } else if (c == '\'') {
                int end = quoteEnd(at, to, '\'', false);
                string(at, at + 1, end - 1, insideBody);
                at = end;
            } else if ((c == 'E' || c == 'e') && at + 1 < to && sql.charAt(at + 1) == '\'') {
                int end = quoteEnd(at + 1, to, '\'', true);
                add(Type.STRING, sql.substring(at, end), at);
                at = end;
            } else if (c == '"') {
                int end = quoteEnd(at, to, '"', false);
                add(Type.NAME, sql.substring(at + 1, Math.max(at + 1, end - 1)).replace("\"\"", "\""), at);
                at = end;
            } else if (c == '$' && dollarTagEnd(at, to) > 0) {
                at = body(at, to);
            } else if (isWordStart(c)) {
                int end = at + 1;
                while (end < to && isWordPart(sql.charAt(end))) {
                    end++;
                }
                add(Type.WORD, sql.substring(at, end), at);
                at = end;
            } else if (c == ';') {
                endStatement();
                at++;
            } else {
                add(Type.SYMBOL, String.valueOf(c), at);
                at++;
            }
        }
    }

    /** A literal: a value outside bodies; inside one, possibly dynamic SQL, so its text is read as statements too. */
    private void string(int quote, int contentFrom, int contentTo, boolean insideBody) {
        if (!insideBody) {
            add(Type.STRING, sql.substring(quote, contentTo + 1), quote);
            return;
        }
        endStatement();
        read(contentFrom, Math.max(contentFrom, contentTo), true);
        endStatement();
    }

    private int body(int open, int to) {
        int tagEnd = dollarTagEnd(open, to);
        String tag = sql.substring(open, tagEnd);
        int close = sql.indexOf(tag, tagEnd);
        int bodyEnd = close < 0 || close >= to ? to : close;
        endStatement();
        read(tagEnd, bodyEnd, true);
        endStatement();
        return Math.min(to, bodyEnd + tag.length());
    }

    /** The index after {@code $tag$} starting at {@code at}, or 0 when {@code $} starts no tag ({@code $1}). */
    private int dollarTagEnd(int at, int to) {
        int end = at + 1;
        if (end < to && (Character.isLetter(sql.charAt(end)) || sql.charAt(end) == '_')) {
            while (end < to && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                end++;
            }
        }
        return end < to && sql.charAt(end) == '$' ? end + 1 : 0;
    }

    private int quoteEnd(int open, int to, char quote, boolean backslashEscapes) {
        int at = open + 1;
        while (at < to) {
            char c = sql.charAt(at);
            if (backslashEscapes && c == '\\') {
                at += 2;
            } else if (c == quote && at + 1 < to && sql.charAt(at + 1) == quote) {
                at += 2;
            } else if (c == quote) {
                return at + 1;
            } else {
                at++;
            }
        }
        return to;
    }

    /** PostgreSQL's block comments nest. */
    private int commentEnd(int open, int to) {
        int depth = 0;
        int at = open;
        while (at < to) {
            if (sql.startsWith("/*", at)) {
                depth++;
                at += 2;
            } else if (sql.startsWith("*/", at)) {
                depth--;
                at += 2;
                if (depth == 0) {
                    return at;
                }
            } else {
                at++;
            }
        }
        return to;
    }

    private int lineEnd(int at, int to) {
        int newline = sql.indexOf('\n', at);
        return newline < 0 || newline > to ? to : newline;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_' || Character.isDigit(c);
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private void add(Type type, String text, int at) {
        current.add(new Token(type, text, lineOf(at)));
    }

    private void endStatement() {
        if (!current.isEmpty()) {
            statements.add(List.copyOf(current));
            current = new ArrayList<>();
        }
    }

    private int lineOf(int at) {
        int index = Arrays.binarySearch(lineStarts, at);
        return (index >= 0 ? index : -index - 2) + 1;
    }

    private static int[] lineStarts(String sql) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int at = 0; at < sql.length(); at++) {
            if (sql.charAt(at) == '\n') {
                starts.add(at + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }
}
