package dev.athanor.ops.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * A certificate authority of the tests' own (Bouncy Castle): the TLS certificate of pebble and of the fake in front of
 * it, and hand-made certificates with any dates (an overdue one, an older one).
 */
public final class TestCa {

    static {
        dev.athanor.ops.certs.BouncyCastle.install();
    }

    private final KeyPair key = KeyPairUtils.createECKeyPair("secp256r1");
    private final X509Certificate root;

    public TestCa() {
        Instant now = Instant.now();
        root = sign(new X500Name("CN=Athanor Test Root"), key, now.minusSeconds(3600), now.plusSeconds(86400 * 3),
                List.of(), true);
    }

    public X509Certificate root() {
        return root;
    }

    /** A key and a chain (leaf, root) for {@code names}, valid from {@code notBefore} to {@code notAfter}. */
    /** A client's TLS context that trusts this CA's root and nothing else. */
    public SSLContext trustingContext() throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("test-ca", root);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    public Issued issue(List<String> names, Instant notBefore, Instant notAfter) {
        KeyPair leafKey = KeyPairUtils.createECKeyPair("secp256r1");
        X509Certificate leaf = sign(new X500Name("CN=" + names.get(0)), leafKey, notBefore, notAfter, names, false);
        return new Issued(leafKey, List.of(leaf, root));
    }

    /** A key pair and its chain. */
    public record Issued(KeyPair key, List<X509Certificate> chain) {

        /** Writes the chain and key as PEM files {@code cert.pem} and {@code key.pem} in {@code directory}. */
        public void writeTo(Path directory) throws IOException {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("cert.pem"), pem(chain));
            StringWriter keyPem = new StringWriter();
            KeyPairUtils.writeKeyPair(key, keyPem);
            Files.writeString(directory.resolve("key.pem"), keyPem.toString());
        }
    }

    /** The certificates as one PEM text. */
    public static String pem(List<X509Certificate> certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n").append(Base64.getMimeEncoder(64,
                        "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return pem.toString();
    }

    private X509Certificate sign(X500Name subject, KeyPair subjectKey, Instant notBefore, Instant notAfter,
            List<String> names, boolean authority) {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    authority ? subject : new X500Name(root.getSubjectX500Principal().getName()),
                    new BigInteger(64, new SecureRandom()), Date.from(notBefore), Date.from(notAfter), subject,
                    subjectKey.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (!names.isEmpty()) {
                List<GeneralName> alternatives = new ArrayList<>();
                for (String name : names) {
                    alternatives.add(name.matches("[0-9.]+")
                            ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(name).getHostAddress())
                            : new GeneralName(GeneralName.dNSName, name));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alternatives.toArray(new GeneralName[0])));
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(authority ? subjectKey.getPrivate()
                            : key.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
