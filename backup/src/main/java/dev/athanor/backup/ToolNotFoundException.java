package dev.athanor.backup;

import java.nio.file.Path;
import java.util.List;

/** A PostgreSQL client program (pg_dump, pg_restore) could not be found or run. */
public class ToolNotFoundException extends BackupException {

    private static final long serialVersionUID = 1L;

    private final String tool;
    private final List<Path> searched;

    public ToolNotFoundException(String tool, List<Path> searched) {
        super(tool + " not found (looked in " + searched + "); install the PostgreSQL client"
                + " (apt-get install postgresql-client) or set backup.clientBinDirectory");
        this.tool = tool;
        this.searched = List.copyOf(searched);
    }

    /** The program that was looked for, such as {@code pg_dump}. */
    public String tool() {
        return tool;
    }

    /** The directories that were searched, in order. */
    public List<Path> searched() {
        return searched;
    }
}
