package dev.athanor.ops.certs;

import java.nio.file.Path;

/** A directory the certificate work must write (certificates, webroot, account key) cannot be written. */
public class TargetNotWritableException extends CertsException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    public TargetNotWritableException(Path path, String why) {
        super(path + " is not writable (" + why + "); nothing was ordered");
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
