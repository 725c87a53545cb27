package dev.athanor.media;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where video and image files live: a directory on the server's disk, or an S3-compatible bucket. Files are stored
 * under their content's SHA-256, so storing the same file twice costs nothing and a stored file never changes.
 */
interface MediaStore {

    /** Stores {@code source} under {@code folder} (such as {@code videos}) unless an identical file is there. */
    StoredFile store(Path source, String folder, String contentType) throws IOException;

    /** The file on local disk, for stores that have one. */
    Optional<Path> localFile(String key);

    /** A short-lived address a browser may fetch {@code key} from directly, for stores that offer one. */
    Optional<URI> temporaryUrl(String key, Duration lifetime);

    /** Whether {@code key} is present. */
    boolean contains(String key) throws IOException;
}
