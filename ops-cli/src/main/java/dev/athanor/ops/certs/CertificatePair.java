package dev.athanor.ops.certs;

import dev.athanor.monitoring.certificates.CertificateDetails;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.shredzone.acme4j.util.KeyPairUtils;

/** A private key and the certificate chain issued for it (leaf first): what nginx needs, and what is installed. */
public record CertificatePair(KeyPair key, List<X509Certificate> chain) {

    /** How far a CA's clock may run ahead of ours before a certificate's start date looks wrong. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

    static {
        BouncyCastle.install();
    }

    public CertificatePair {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least one certificate");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public CertificateDetails details() {
        return CertificateDetails.of(leaf());
    }

    /**
     * Checks the pair before it may replace anything: the key is the certificate's, every name in {@code names} is
     * covered, each certificate of the chain is signed by the next, and the dates are sane at {@code now}.
     */
    public void check(List<String> names, Instant now) throws UnusableCertificateException {
        X509Certificate leaf = leaf();
        if (!leaf.getPublicKey().equals(key.getPublic())) {
            throw new UnusableCertificateException("the certificate was not issued for this key");
        }
        CertificateDetails details = details();
        for (String name : names) {
            if (!details.covers(name)) {
                throw new UnusableCertificateException("the certificate does not cover " + name + " (it covers "
                        + String.join(", ", details.names()) + ")");
            }
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            try {
                chain.get(i).verify(chain.get(i + 1).getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new UnusableCertificateException("certificate " + (i + 1) + " of the chain is not signed by the"
                        + " next (" + e.getMessage() + ")");
            }
        }
        if (chain.size() < 2 && leaf.getIssuerX500Principal().equals(leaf.getSubjectX500Principal())) {
            throw new UnusableCertificateException("the chain has no issuer certificate");
        }
        if (!details.notAfter().isAfter(details.notBefore())) {
            throw new UnusableCertificateException("the certificate ends before it starts");
        }
        if (details.notBefore().isAfter(now.plus(CLOCK_SKEW))) {
            throw new UnusableCertificateException("the certificate is not valid before " + details.notBefore()
                    + " (check this server's clock)");
        }
        if (!details.notAfter().isAfter(now)) {
            throw new UnusableCertificateException("the certificate expired at " + details.notAfter());
        }
    }

    /** The chain as PEM, as nginx's {@code ssl_certificate} reads it. */
    public byte[] chainPem() {
        StringBuilder pem = new StringBuilder();
        Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate certificate : chain) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n")
                        .append(encoder.encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return pem.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The private key as PEM. */
    public byte[] keyPem() {
        StringWriter writer = new StringWriter();
        try {
            KeyPairUtils.writeKeyPair(key, writer);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return writer.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads a key written by {@link #keyPem()}. */
    public static KeyPair readKey(String pem) throws IOException {
        return KeyPairUtils.readKeyPair(new StringReader(pem));
    }
}
