package dev.athanor.media;

/** A media file that cannot be stored or used: an unknown type, a missing duration, an unreadable file. */
public class MediaException extends Exception {

    private static final long serialVersionUID = 1L;

    MediaException(String message) {
        super(message);
    }

    MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
