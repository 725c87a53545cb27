package dev.athanor.monitoring.certificates;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate a TLS server actually presents for a name (SNI), read with a handshake. The point is to compare it
 * with the file on disk ("renewed but never reloaded"), so the chain is recorded, not judged: an expired or
 * mismatched certificate must be readable to be reported. Nothing is sent after the handshake.
 */
public final class ServedCertificate {

    private ServedCertificate() {
    }

    /** Where to look: {@code host:port}, and the name to ask for. */
    public record Endpoint(String host, int port, String serverName) {

        /** Parses {@code HOST:PORT} (or {@code [v6]:PORT}); {@code serverName} is sent as SNI. */
        public static Endpoint parse(String hostAndPort, String serverName) {
            int colon = hostAndPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostAndPort.length() - 1) {
                throw new IllegalArgumentException("expected HOST:PORT, not \"" + hostAndPort + "\"");
            }
            String host = hostAndPort.substring(0, colon).replace("[", "").replace("]", "");
            try {
                return new Endpoint(host, Integer.parseInt(hostAndPort.substring(colon + 1)), serverName);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected HOST:PORT, not \"" + hostAndPort + "\"", e);
            }
        }

        @Override
        public String toString() {
            return host + ":" + port + " (" + serverName + ")";
        }
    }

    /**
     * The chain {@code endpoint} presents, leaf first.
     *
     * @throws IOException when nothing answers or the handshake fails within {@code timeout}
     */
    public static List<X509Certificate> fetch(Endpoint endpoint, Duration timeout) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new RecordingTrustManager()}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) timeout.toMillis());
            plain.setSoTimeout((int) timeout.toMillis());
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, endpoint.host(),
                    endpoint.port(), false)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(endpoint.serverName())));
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                return java.util.Arrays.stream(socket.getSession().getPeerCertificates())
                        .map(X509Certificate.class::cast).toList();
            }
        } catch (IOException e) {
            throw new IOException(endpoint + ": " + e.getMessage(), e);
        }
    }

    /** Accepts whatever the server presents: this probe reads certificates, it does not trust them with data. */
    private static final class RecordingTrustManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // recorded by the handshake; compared by the caller
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
