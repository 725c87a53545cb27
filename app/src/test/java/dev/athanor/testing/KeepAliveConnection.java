package dev.athanor.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 connection to the site on loopback, kept open across requests and read as a client reads it: each
 * response whole (status, headers, a body by Content-Length or chunks), and at the end whether the server closed the
 * connection cleanly or reset it. For what a client library hides: a request whose body is sent in two halves, or a
 * request on a connection opened before the server began to stop.
 */
public final class KeepAliveConnection implements AutoCloseable {

    /** A response; {@code headers} by lower-case name. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private KeepAliveConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code port} on 127.0.0.1; throws {@link java.net.ConnectException} when it is refused. */
    public static KeepAliveConnection open(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        return new KeepAliveConnection(socket);
    }

    /** Sends a GET for {@code path} and reads its response. */
    public Reply get(String path) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        return read();
    }

    /** Writes {@code text} as it is (ISO-8859-1): a request, or part of one. */
    public void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one whole response; a reset connection or an early end is an IOException. */
    public Reply read() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("the connection ended before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.merge(header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    header.substring(colon + 1).strip(), (a, b) -> a + ", " + b);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line().split(";")[0].strip(), 16); size > 0;
                    size = Integer.parseInt(line().split(";")[0].strip(), 16)) {
                body.write(exactly(size));
                line();
            }
            line();
        } else if (headers.containsKey("content-length")) {
            body.write(exactly(Integer.parseInt(headers.get("content-length"))));
        }
        return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    /**
     * Whether the server has closed the connection cleanly (end of stream, nothing more sent), waiting up to
     * {@code millis}; false when it was reset, stayed open, or sent more.
     */
    public boolean closedCleanly(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return false;
        }
    }

    private byte[] exactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new IOException("the body ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                return line.isEmpty() ? null : line.toString();
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
