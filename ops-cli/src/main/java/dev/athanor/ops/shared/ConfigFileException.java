package dev.athanor.ops.shared;

/** The configuration file could not be found or understood; the message names the file and the key. */
public final class ConfigFileException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigFileException(String message) {
        super(message);
    }
}
