package dev.athanor.ops.certs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * An ACME provider for any directory URL whose https is checked against the JVM's roots plus those in a PEM file
 * ({@code certificates.trustedRoots}): for a private CA, and for the tests' pebble.
 */
final class TrustedRootsProvider extends GenericAcmeProvider {

    private final SSLContext context;

    TrustedRootsProvider(Path roots) throws IOException {
        this.context = contextTrusting(roots);
    }

    @Override
    public boolean accepts(URI serverUri) {
        return "https".equals(serverUri.getScheme()) || "http".equals(serverUri.getScheme());
    }

    @Override
    public URL resolve(URI serverUri) {
        return super.resolve(serverUri);
    }

    @Override
    public HttpClient createHttpClient(NetworkSettings settings) {
        HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(settings.getTimeout()).proxy(settings.getProxySelector()).sslContext(context);
        if (settings.getAuthenticator() != null) {
            builder.authenticator(settings.getAuthenticator());
        }
        return builder.build();
    }

    private static SSLContext contextTrusting(Path roots) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            int index = 0;
            for (TrustManager manager : system.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate root : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("system-" + index++, root);
                    }
                }
            }
            try (InputStream in = Files.newInputStream(roots)) {
                for (Certificate root : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("extra-" + index++, root);
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(roots + ": cannot use as trusted roots: " + e.getMessage(), e);
        }
    }
}
