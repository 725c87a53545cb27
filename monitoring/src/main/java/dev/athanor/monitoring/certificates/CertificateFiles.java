package dev.athanor.monitoring.certificates;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where one managed certificate lives on disk, under {@code certificates.directory}:
 *
 * <pre>
 * learn.example.com/
 *   current -&gt; versions/0003        the pair in use: what nginx reads
 *   previous -&gt; versions/0002       the pair before, for ops certs rollback
 *   versions/0003/fullchain.pem     certificate and intermediates
 *   versions/0003/privkey.pem       its key (0600)
 *   renewal.json                    RenewalState
 * </pre>
 *
 * <p>nginx points at {@code current/fullchain.pem} and {@code current/privkey.pem}. A new pair is written complete
 * into a new version directory and {@code current} is switched to it by one atomic rename of a symbolic link, so a
 * reader never sees a key from one pair beside the certificate of another, whenever a process dies.
 */
public record CertificateFiles(Path directory) {

    public static final String CHAIN = "fullchain.pem";
    public static final String KEY = "privkey.pem";

    /** The certificate named for its first domain, under {@code root}. */
    public static CertificateFiles of(Path root, String firstName) {
        return new CertificateFiles(root.resolve(firstName));
    }

    /** Every certificate under {@code root} that has a state or a current pair, sorted by name. */
    public static List<CertificateFiles> managedIn(Path root) throws IOException {
        List<CertificateFiles> managed = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return managed;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path entry : entries) {
                CertificateFiles files = new CertificateFiles(entry);
                if (Files.exists(files.stateFile()) || Files.exists(files.chain())) {
                    managed.add(files);
                }
            }
        }
        managed.sort((a, b) -> a.name().compareTo(b.name()));
        return managed;
    }

    public String name() {
        return directory.getFileName().toString();
    }

    public Path current() {
        return directory.resolve("current");
    }

    public Path previous() {
        return directory.resolve("previous");
    }

    public Path versions() {
        return directory.resolve("versions");
    }

    public Path chain() {
        return current().resolve(CHAIN);
    }

    public Path key() {
        return current().resolve(KEY);
    }

    public Path stateFile() {
        return directory.resolve("renewal.json");
    }

    public RenewalState state() throws IOException {
        return RenewalState.read(stateFile());
    }

    /** The certificate chain in use, leaf first; empty when none is installed yet. */
    public Optional<List<X509Certificate>> currentChain() throws IOException {
        return Files.exists(chain()) ? Optional.of(readChain(chain())) : Optional.empty();
    }

    /** The chain kept for rollback, if any. */
    public Optional<List<X509Certificate>> previousChain() throws IOException {
        Path file = previous().resolve(CHAIN);
        return Files.exists(file) ? Optional.of(readChain(file)) : Optional.empty();
    }

    /** Reads the certificates of a PEM file, leaf first. */
    public static List<X509Certificate> readChain(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> chain = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) certificate);
            }
            if (chain.isEmpty()) {
                throw new IOException(file + ": no certificate in the file");
            }
            return chain;
        } catch (CertificateException e) {
            throw new IOException(file + ": not a PEM certificate chain: " + e.getMessage(), e);
        }
    }
}
