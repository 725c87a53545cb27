package dev.athanor.platform.db;

import dev.athanor.platform.db.SqlTokens.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * What in a migration breaks the release still running beside it, or an older one rolled back to: every migration is
 * expand, then contract. Dropping or renaming a table, view or column, making a column NOT NULL, adding a NOT NULL
 * column without a default, or changing a column's type is flagged; adding tables, indexes, nullable columns or columns
 * with defaults, functions, data, and dropping an index, a constraint, a default or a NOT NULL is not. Comments and
 * string literals are ignored, but the text of a dollar-quoted body ({@code DO $$ ... $$}, a function) is read as SQL,
 * its strings included, since it may run anything. {@code IF EXISTS} makes nothing safe. Pure: no database needed.
 */
public final class MigrationLint {

    /** What a flagged statement does. */
    public enum Kind { DROP_TABLE, DROP_VIEW, DROP_COLUMN, RENAME, SET_NOT_NULL, NOT_NULL_WITHOUT_DEFAULT, TYPE_CHANGE }

    /**
     * One flagged statement.
     *
     * @param line 1-based, of the statement's first keyword
     * @param what for people: {@code drops column users.nickname}
     * @param statement the statement on one line, shortened
     */
    public record Finding(String file, int line, Kind kind, String what, String statement) {

        /** {@code V27__drop_legacy.sql:3: drops column users.nickname}. */
        public String describe() {
            return file + ":" + line + ": " + what;
        }
    }

    private MigrationLint() {
    }

    /** The findings in one migration, in the order of its statements. */
    public static List<Finding> check(String file, String sql) {
        List<Finding> findings = new ArrayList<>();
        for (List<Token> statement : SqlTokens.statements(sql)) {
            for (int at = 0; at < statement.size(); at++) {
                if (statement.get(at).is("ALTER") || statement.get(at).is("DROP")) {
                    LintedStatement read = new LintedStatement(file, statement, at);
                    if (statement.get(at).is("ALTER")) {
                        read.alter(findings);
                    } else {
                        read.drop(findings);
                    }
                    break;
                }
            }
        }
        return List.copyOf(findings);
    }
}
