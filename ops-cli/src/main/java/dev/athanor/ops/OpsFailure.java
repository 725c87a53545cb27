package dev.athanor.ops;

import dev.athanor.content.ContentImportException;
import dev.athanor.platform.cli.StartupProblem;
import dev.athanor.platform.db.EmbeddedPostgresException;
import io.dropwizard.configuration.ConfigurationException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;

/**
 * How a failed command ends: one line for the operator and an exit code for scripts, following sysexits(3) where it
 * has a word for the case.
 */
record OpsFailure(String message, int exitCode) {

    /** Something went wrong that has no better code. */
    static final int SOFTWARE = 70;
    /** A service the command needs (the database) could not be reached. */
    static final int UNAVAILABLE = 69;
    /** The input data (a content folder) is wrong. */
    static final int DATA = 65;
    /** The configuration is missing or wrong. */
    static final int CONFIG = 78;
    /** A file could not be read or written. */
    static final int IO = 74;

    static OpsFailure of(Exception e) {
        if (e instanceof ConfigFileException config) {
            return new OpsFailure(config.getMessage(), CONFIG);
        }
        if (e instanceof ContentImportException content) {
            return new OpsFailure(content.getMessage() + " (nothing was imported)", DATA);
        }
        if (e instanceof ConfigurationException config) {
            return new OpsFailure(StartupProblem.describe(config, null), CONFIG);
        }
        if (e instanceof EmbeddedPostgresException || e instanceof SQLException
                || e.getCause() instanceof SQLException) {
            return new OpsFailure("database: " + messageOf(e), UNAVAILABLE);
        }
        if (e instanceof FileNotFoundException || e instanceof NoSuchFileException || e instanceof IOException) {
            return new OpsFailure(messageOf(e), IO);
        }
        return new OpsFailure(messageOf(e), SOFTWARE);
    }

    private static String messageOf(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
