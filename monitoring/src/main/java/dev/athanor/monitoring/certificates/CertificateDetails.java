package dev.athanor.monitoring.certificates;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * What the operator needs to know about one certificate: the names it covers, who issued it, when it is valid, and a
 * fingerprint to tell two certificates apart (the file on disk and the one a server presents).
 */
public record CertificateDetails(List<String> names, String issuer, String serial, Instant notBefore,
        Instant notAfter, String sha256) {

    public static CertificateDetails of(X509Certificate certificate) {
        return new CertificateDetails(names(certificate), commonName(certificate.getIssuerX500Principal().getName()),
                certificate.getSerialNumber().toString(16), certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(), fingerprint(certificate));
    }

    /** The whole validity period (notAfter - notBefore). */
    public Duration lifetime() {
        return Duration.between(notBefore, notAfter);
    }

    /** Time left until it expires at {@code now}; negative once expired. */
    public Duration remaining(Instant now) {
        return Duration.between(now, notAfter);
    }

    /** How much of its lifetime has passed at {@code now}, 0 to 100. */
    public int lifetimeUsedPercent(Instant now) {
        long total = lifetime().toMillis();
        if (total <= 0) {
            return 100;
        }
        long used = Duration.between(notBefore, now).toMillis();
        return (int) Math.max(0, Math.min(100, used * 100 / total));
    }

    /** True when this certificate covers {@code name} (exactly, or through a wildcard one level deep). */
    public boolean covers(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (String covered : names) {
            String candidate = covered.toLowerCase(Locale.ROOT);
            if (candidate.equals(wanted)) {
                return true;
            }
            if (candidate.startsWith("*.") && wanted.indexOf('.') > 0
                    && wanted.substring(wanted.indexOf('.') + 1).equals(candidate.substring(2))) {
                return true;
            }
        }
        return false;
    }

    /** The DNS names of its subject alternative names, or its common name when it has none. */
    private static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> entry : certificate.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(entry.get(0))) { // dNSName
                        names.add(entry.get(1).toString());
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("unreadable subject alternative names: " + e.getMessage(), e);
        }
        if (names.isEmpty()) {
            names.add(commonName(certificate.getSubjectX500Principal().getName()));
        }
        return List.copyOf(names);
    }

    private static String commonName(String distinguishedName) {
        try {
            for (Rdn rdn : new LdapName(distinguishedName).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            // fall through to the whole name
        }
        return distinguishedName;
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
