package dev.athanor.media;

/** A media file that cannot be stored or used: an unknown type, a missing duration, an unreadable file. */
public class MediaException extends Exception {

    private static final long serialVersionUID = 1L;

    public MediaException(String message) {
        super(message);
    }

    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
