package dev.athanor.platform.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * {@code database.caFile}: the CA certificate (PEM, as managed services offer it for download) that the database
 * server's certificate must be signed by. With it, connections are verified in full: the certificate chain up to this
 * CA and the host name in the URL. A managed service prints {@code sslmode=require}, which encrypts but takes any
 * certificate, so whoever sits between the site and the database could read it; an operator who downloads the CA
 * wants it checked, so {@code require} (or {@code prefer}, or no sslmode) becomes {@code verify-full}. An explicit
 * {@code verify-ca} is kept, for a server whose certificate does not name the host the site uses. A URL that allows
 * plain text ({@code disable}, {@code allow}) contradicts the CA file and is refused.
 *
 * <p>pgjdbc reads the PEM file itself ({@code sslrootcert}); pg_dump and pg_restore get the same parameters through
 * the JDBC URL ({@code PostgresTarget} passes sslmode and sslrootcert on to libpq).
 */
record CaFile(Path path) {

    private static final Set<String> UPGRADED = Set.of("", "prefer", "require");
    private static final Set<String> KEPT = Set.of("verify-ca", "verify-full");

    /** The configured file, or empty when {@code database.caFile} is blank. */
    static Optional<CaFile> of(String configured) {
        return configured == null || configured.isBlank() ? Optional.empty()
                : Optional.of(new CaFile(Path.of(configured.strip()).toAbsolutePath().normalize()));
    }

    /** What keeps the file from serving as the CA, said for the operator, or empty when it will do. */
    Optional<String> problem() {
        if (!Files.isReadable(path)) {
            return Optional.of("database.caFile " + path + " does not exist or cannot be read");
        }
        try {
            if (!Files.readString(path, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
                return Optional.of("database.caFile " + path
                        + " is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of("database.caFile " + path + " cannot be read: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Whether {@code url}'s sslmode can be verified against a CA file at all (not disable or allow). */
    static boolean compatible(DatabaseUrl url) {
        String mode = url.parameter("sslmode").orElse("");
        return UPGRADED.contains(mode) || KEPT.contains(mode);
    }

    /**
     * {@code url} checked against this CA: {@code sslrootcert} set to it, and {@code sslmode} raised to
     * {@code verify-full} unless it was {@code verify-ca} or {@code verify-full}.
     *
     * @throws IllegalArgumentException when the URL allows an unencrypted connection
     */
    DatabaseUrl verifying(DatabaseUrl url) {
        if (!compatible(url)) {
            throw new IllegalArgumentException("database.caFile is set but the database URL says sslmode="
                    + url.parameter("sslmode").orElse("") + "; remove sslmode or use sslmode=verify-full");
        }
        DatabaseUrl verified = url.withParameter("sslrootcert", path.toString());
        String mode = url.parameter("sslmode").orElse("");
        return KEPT.contains(mode) ? verified : verified.withParameter("sslmode", "verify-full");
    }
}
