package dev.athanor.ops.nginx;

/**
 * nginx refused or did not take a change ops made to its includes: the test failed (the message carries nginx's own
 * error lines, and the previous include is back in place), the reload failed or did not take effect in time, or
 * nginx could not be found or started. One line, for the operator.
 */
public class NginxException extends Exception {

    NginxException(String message) {
        super(message);
    }

    NginxException(String message, Throwable cause) {
        super(message, cause);
    }
}
