package dev.athanor.platform.db;

import dev.athanor.platform.db.MigrationLint.Finding;
import dev.athanor.platform.db.MigrationLint.Kind;
import dev.athanor.platform.db.SqlTokens.Token;
import dev.athanor.platform.db.SqlTokens.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One statement of a migration read by {@link MigrationLint} from its keyword ({@code ALTER}, {@code DROP}) on, with a
 * cursor over its tokens: what it does that the release beside it, or an older one, could not run with.
 */
final class LintedStatement {

    private static final int SHORTENED = 120;
    private static final Set<String> TABLE_CONSTRAINTS = Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN",
            "EXCLUDE");
    private static final Set<String> SERIALS = Set.of("SERIAL", "BIGSERIAL", "SMALLSERIAL", "SERIAL2", "SERIAL4",
            "SERIAL8");
    private static final Set<String> KEYWORDS_BEFORE_PARENTHESIS = Set.of("CHECK", "KEY", "UNIQUE", "REFERENCES",
            "AS", "IN", "VALUES", "EXISTS", "USING");

    private final String file;
    private final List<Token> tokens;
    private final int keyword;
    private int at;

    LintedStatement(String file, List<Token> tokens, int keyword) {
        this.file = file;
        this.tokens = tokens;
        this.keyword = keyword;
        this.at = keyword + 1;
    }

    void drop(List<Finding> findings) {
        Kind kind;
        String noun;
        if (accept("TABLE") || accept("FOREIGN", "TABLE")) {
            kind = Kind.DROP_TABLE;
            noun = "table";
        } else if (accept("VIEW") || accept("MATERIALIZED", "VIEW")) {
            kind = Kind.DROP_VIEW;
            noun = "view";
        } else {
            return;
        }
        accept("IF", "EXISTS");
        do {
            findings.add(finding(kind, "drops " + noun + " " + name()));
        } while (acceptSymbol(","));
    }

    void alter(List<Finding> findings) {
        String noun;
        if (accept("TABLE") || accept("FOREIGN", "TABLE")) {
            noun = "table";
        } else if (accept("VIEW")) {
            noun = "view";
        } else if (accept("MATERIALIZED", "VIEW")) {
            noun = "materialized view";
        } else if (accept("INDEX")) {
            return;
        } else {
            otherRename(findings);
            return;
        }
        accept("IF", "EXISTS");
        accept("ONLY");
        if (peekIs("ALL")) {
            return;
        }
        String name = name();
        acceptSymbol("*");
        for (List<Token> action : actions()) {
            new LintedStatement(file, action, -1).action(noun, name, findings, this);
        }
    }

    /** One action of {@code ALTER TABLE name ...}, read by a cursor of its own over its tokens. */
    private void action(String noun, String name, List<Finding> findings, LintedStatement whole) {
        if (accept("RENAME")) {
            if (accept("TO")) {
                findings.add(whole.finding(Kind.RENAME, "renames " + noun + " " + name + " to " + name()));
            } else if (accept("CONSTRAINT")) {
                String constraint = name();
                accept("TO");
                findings.add(whole.finding(Kind.RENAME, "renames constraint " + constraint + " of " + name
                        + " to " + name()));
            } else {
                accept("COLUMN");
                String column = name();
                accept("TO");
                findings.add(whole.finding(Kind.RENAME, "renames column " + name + "." + column + " to "
                        + name()));
            }
        } else if (accept("SET", "SCHEMA")) {
            findings.add(whole.finding(Kind.RENAME, "moves " + noun + " " + name + " to schema " + name()));
        } else if (accept("DROP")) {
            if (!peekIs("CONSTRAINT")) {
                accept("COLUMN");
                accept("IF", "EXISTS");
                findings.add(whole.finding(Kind.DROP_COLUMN, "drops column " + name + "." + name()));
            }
        } else if (accept("ADD")) {
            if (at < tokens.size() && TABLE_CONSTRAINTS.contains(upper(tokens.get(at)))) {
                return;
            }
            accept("COLUMN");
            accept("IF", "NOT", "EXISTS");
            String column = name();
            if (notNullWithoutDefault()) {
                findings.add(whole.finding(Kind.NOT_NULL_WITHOUT_DEFAULT, "adds column " + name + "." + column
                        + " NOT NULL without a default"));
            }
        } else if (accept("ALTER")) {
            accept("COLUMN");
            String column = name();
            if (accept("SET", "NOT", "NULL")) {
                findings.add(whole.finding(Kind.SET_NOT_NULL, "makes " + name + "." + column + " NOT NULL"));
            } else if (accept("TYPE") || accept("SET", "DATA", "TYPE")) {
                findings.add(whole.finding(Kind.TYPE_CHANGE, "changes the type of " + name + "." + column
                        + " to " + render(tokens.subList(at, typeEnd()))));
            }
        }
    }

    /** {@code ALTER SEQUENCE|TYPE|FUNCTION|SCHEMA ... RENAME ...}: code may name it too. */
    private void otherRename(List<Finding> findings) {
        int depth = 0;
        for (int index = at; index < tokens.size(); index++) {
            depth += depthChange(tokens.get(index));
            if (depth == 0 && tokens.get(index).is("RENAME")) {
                String noun = upper(tokens.get(at)).toLowerCase(Locale.ROOT);
                at++;
                findings.add(finding(Kind.RENAME, "renames " + noun + " " + name()));
                return;
            }
        }
    }

    /** The column definition after the name: NOT NULL or PRIMARY KEY, and no DEFAULT, GENERATED or serial. */
    private boolean notNullWithoutDefault() {
        boolean notNull = false;
        int depth = 0;
        for (int index = at; index < tokens.size(); index++) {
            Token token = tokens.get(index);
            depth += depthChange(token);
            boolean next = index + 1 < tokens.size();
            if (depth != 0) {
                continue;
            }
            if (token.is("DEFAULT") || token.is("GENERATED") || SERIALS.contains(upper(token))) {
                return false;
            }
            notNull |= next && (token.is("NOT") && tokens.get(index + 1).is("NULL")
                    || token.is("PRIMARY") && tokens.get(index + 1).is("KEY"));
        }
        return notNull;
    }

    private int typeEnd() {
        int end = at;
        while (end < tokens.size() && !tokens.get(end).is("USING") && !tokens.get(end).is("COLLATE")) {
            end++;
        }
        return end;
    }

    /** The statement's actions, split at its top-level commas. */
    private List<List<Token>> actions() {
        List<List<Token>> actions = new ArrayList<>();
        int depth = 0;
        int start = at;
        for (int index = at; index < tokens.size(); index++) {
            depth += depthChange(tokens.get(index));
            if (depth == 0 && tokens.get(index).isSymbol(",")) {
                actions.add(tokens.subList(start, index));
                start = index + 1;
            }
        }
        actions.add(tokens.subList(start, tokens.size()));
        return actions;
    }

    /** A possibly qualified name, as PostgreSQL folds it: {@code public.users}, {@code "Users"}. */
    private String name() {
        StringBuilder name = new StringBuilder();
        do {
            if (at >= tokens.size()) {
                return name.isEmpty() ? "?" : name.toString();
            }
            Token token = tokens.get(at++);
            String part = token.type() == Type.NAME ? token.text() : token.text().toLowerCase(Locale.ROOT);
            if (token.isSymbol("%") && at < tokens.size() && tokens.get(at).type() == Type.WORD) {
                part = "%" + tokens.get(at++).text(); // format('ALTER TABLE %I ...') in a DO block
            }
            name.append(name.isEmpty() ? "" : ".").append(part);
        } while (acceptSymbol("."));
        return name.toString();
    }

    private boolean accept(String... words) {
        for (int index = 0; index < words.length; index++) {
            if (at + index >= tokens.size() || !tokens.get(at + index).is(words[index])) {
                return false;
            }
        }
        at += words.length;
        return true;
    }

    private boolean acceptSymbol(String symbol) {
        if (at < tokens.size() && tokens.get(at).isSymbol(symbol)) {
            at++;
            return true;
        }
        return false;
    }

    private boolean peekIs(String word) {
        return at < tokens.size() && tokens.get(at).is(word);
    }

    private Finding finding(Kind kind, String what) {
        String statement = render(tokens.subList(keyword, tokens.size()));
        if (statement.length() > SHORTENED) {
            statement = statement.substring(0, SHORTENED - 3) + "...";
        }
        return new Finding(file, tokens.get(keyword).line(), kind, what, statement);
    }

    private static int depthChange(Token token) {
        return token.isSymbol("(") ? 1 : token.isSymbol(")") ? -1 : 0;
    }

    private static String upper(Token token) {
        return token.type() == Type.WORD ? token.text().toUpperCase(Locale.ROOT) : "";
    }

    /** Tokens on one line, spaced as people write SQL. */
    private static String render(List<Token> tokens) {
        StringBuilder text = new StringBuilder();
        Token previous = null;
        for (Token token : tokens) {
            boolean tight = previous != null && (previous.isSymbol("(") || previous.isSymbol(".")
                    || token.isSymbol(",") || token.isSymbol(")") || token.isSymbol(".") || token.isSymbol("(")
                    && previous.type() == Type.WORD && !isKeywordBeforeParenthesis(previous));
            if (previous != null && !tight) {
                text.append(' ');
            }
            text.append(token.type() == Type.NAME ? '"' + token.text().replace("\"", "\"\"") + '"' : token.text());
            previous = token;
        }
        return text.toString();
    }

    private static boolean isKeywordBeforeParenthesis(Token token) {
        return KEYWORDS_BEFORE_PARENTHESIS.contains(upper(token));
    }
}
