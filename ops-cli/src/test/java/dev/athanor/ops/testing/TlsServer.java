package dev.athanor.ops.testing;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * A TLS server presenting the installed certificate as nginx would: it reads {@code current/fullchain.pem} and
 * {@code current/privkey.pem} at start, and again only when asked to reload (the reload command touches
 * {@code reloadMarker}), so "renewed but not reloaded" happens here as it does in production.
 */
public final class TlsServer implements AutoCloseable {

    private final Path certificateDirectory;
    private final Path reloadMarker;
    private final ServerSocket socket;
    private final Thread acceptor;
    private final AtomicInteger reloads = new AtomicInteger();
    private volatile SSLContext context;
    private volatile FileTime loadedFor;

    public TlsServer(Path certificateDirectory, Path reloadMarker) throws Exception {
        this.certificateDirectory = certificateDirectory;
        this.reloadMarker = reloadMarker;
        load();
        socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::serve, "test-tls-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** How many times it reloaded after start. */
    public int reloads() {
        return reloads.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket plain = socket.accept()) {
                plain.setSoTimeout(5000);
                reloadIfAsked();
                try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, null, true)) {
                    tls.setUseClientMode(false);
                    tls.startHandshake();
                } catch (IOException e) {
                    // the client hung up after the handshake; fine
                }
            } catch (Exception e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private void reloadIfAsked() throws Exception {
        if (Files.exists(reloadMarker)) {
            FileTime touched = Files.getLastModifiedTime(reloadMarker);
            if (loadedFor == null || touched.compareTo(loadedFor) > 0) {
                load();
                loadedFor = touched;
                reloads.incrementAndGet();
            }
        }
    }

    private void load() throws Exception {
        Path current = certificateDirectory.resolve("current");
        KeyPair key = KeyPairUtils.readKeyPair(new StringReader(Files.readString(current.resolve("privkey.pem"))));
        Certificate[] chain;
        try (var in = Files.newInputStream(current.resolve("fullchain.pem"))) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new Certificate[0]);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("site", key.getPrivate(), new char[0], chain);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext fresh = SSLContext.getInstance("TLS");
        fresh.init(keys.getKeyManagers(), null, null);
        context = fresh;
        if (Files.exists(reloadMarker) && loadedFor == null) {
            loadedFor = Files.getLastModifiedTime(reloadMarker);
        }
    }

    @Override
    public void close() throws Exception {
        socket.close();
        acceptor.join(5000);
    }
}
