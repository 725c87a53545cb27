package dev.athanor.content;

import java.nio.file.Path;

/**
 * A content folder that cannot be imported: which file, which line, and what is wrong. Nothing has been changed when
 * this is thrown.
 */
public class ContentImportException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    ContentImportException(Path file, int line, String problem) {
        super(location(file, line) + ": " + problem);
        this.file = file;
        this.line = line;
    }

    /** The file at fault, relative to the content folder. */
    public Path file() {
        return file;
    }

    /** The line at fault (1-based), or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }

    private static String location(Path file, int line) {
        return line > 0 ? file + ":" + line : file.toString();
    }
}
