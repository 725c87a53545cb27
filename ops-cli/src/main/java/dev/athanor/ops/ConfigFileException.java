package dev.athanor.ops;

/** The configuration file could not be found or understood; the message names the file and the key. */
final class ConfigFileException extends Exception {

    private static final long serialVersionUID = 1L;

    ConfigFileException(String message) {
        super(message);
    }
}
