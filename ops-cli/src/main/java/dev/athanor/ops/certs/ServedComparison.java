package dev.athanor.ops.certs;

import dev.athanor.monitoring.certificates.CertificateDetails;
import dev.athanor.monitoring.certificates.ServedCertificate;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The certificate a server presents, compared with the file on disk: the same, older (renewed but not reloaded),
 * different in another way, or not reachable.
 */
record ServedComparison(ServedCertificate.Endpoint endpoint, Verdict verdict, Optional<CertificateDetails> served,
        String message) {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    enum Verdict { SAME, OLDER, DIFFERENT, UNREACHABLE }

    static ServedComparison compare(ServedCertificate.Endpoint endpoint, CertificateDetails file) {
        List<X509Certificate> chain;
        try {
            chain = ServedCertificate.fetch(endpoint, TIMEOUT);
        } catch (IOException e) {
            return new ServedComparison(endpoint, Verdict.UNREACHABLE, Optional.empty(), "no TLS answer from "
                    + endpoint + ": " + e.getMessage());
        }
        CertificateDetails served = CertificateDetails.of(chain.get(0));
        if (served.sha256().equals(file.sha256())) {
            return new ServedComparison(endpoint, Verdict.SAME, Optional.of(served), endpoint
                    + " serves the installed certificate");
        }
        String theirs = "serial " + served.serial() + ", not after " + served.notAfter();
        String ours = "serial " + file.serial() + ", not after " + file.notAfter();
        // Not newer on either date: the installed pair replaced it (certificates issued in the same second tie).
        if (!served.notAfter().isAfter(file.notAfter()) && !served.notBefore().isAfter(file.notBefore())) {
            return new ServedComparison(endpoint, Verdict.OLDER, Optional.of(served), endpoint
                    + " serves an older certificate (" + theirs + ") than the installed one (" + ours
                    + "): renewed but not reloaded");
        }
        return new ServedComparison(endpoint, Verdict.DIFFERENT, Optional.of(served), endpoint
                + " serves a different certificate (" + theirs + ") than the installed one (" + ours + ")");
    }

    boolean isSame() {
        return verdict == Verdict.SAME;
    }
}
