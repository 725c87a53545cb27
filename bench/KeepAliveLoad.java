import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keep-alive GETs against one URL, as browsers send them, counting what a visitor would see as an error.
 *
 * <pre>
 * java bench/KeepAliveLoad.java URL [--connections 16] (--duration 30s | --until-file F) [--pause 0ms] [--json]
 * </pre>
 *
 * Each connection is one thread sending HTTP/1.1 GETs over a raw socket, one after the other, reading Content-Length,
 * chunked and read-until-close bodies. A request sent on a reused connection that the server closed before any byte of
 * the response (end of stream, reset, broken pipe) is sent once more on a new connection and counted as retried, not
 * as an error: RFC 9112 section 9.3.1 lets a client retry an idempotent request then, and browsers do (wrk counts it as
 * a read error, and nginx closes its idle keep-alive connections at every reload). Errors are non-2xx answers,
 * connections refused, 5-second timeouts, failures on a new connection or after the retry, and malformed answers. Also
 * measured: the longest time without a response on any connection (from the first response to the stop), requests and
 * req/s.
 * With --pause each connection waits that long after each response (a gentler load). Prints one summary, or one JSON
 * object with --json; the exit status is 0 whatever was counted (2 for bad arguments).
 */
public class KeepAliveLoad {

    static final int TIMEOUT_MS = 5000;
    static final int EXAMPLES = 5;

    final String host;
    final int port;
    final byte[] request;
    final int pauseMillis;
    volatile boolean stopping;

    final AtomicLong requests = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong non2xx = new AtomicLong();
    final AtomicLong connectErrors = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();
    final AtomicLong otherErrors = new AtomicLong();
    final List<String> examples = new ArrayList<>();

    final long startNanos = System.nanoTime();
    final long startMillis = System.currentTimeMillis();
    long lastResponseNanos = -1; // none yet: gaps count from the first response
    long longestGapNanos;
    long longestGapEndNanos = startNanos;

    KeepAliveLoad(URI uri, int pauseMillis) {
        this.host = uri.getHost();
        this.port = uri.getPort() == -1 ? 80 : uri.getPort();
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String hostHeader = uri.getPort() == -1 ? host : host + ":" + port;
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: KeepAliveLoad\r\n"
                + "Accept: text/html,*/*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        this.pauseMillis = pauseMillis;
    }

    public static void main(String[] args) throws Exception {
        URI uri = null;
        int connections = 16;
        long durationMillis = -1;
        int pauseMillis = 0;
        Path untilFile = null;
        boolean json = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--connections" -> connections = Integer.parseInt(args[++i]);
                    case "--duration" -> durationMillis = millis(args[++i]);
                    case "--until-file" -> untilFile = Path.of(args[++i]);
                    case "--pause" -> pauseMillis = (int) millis(args[++i]);
                    case "--json" -> json = true;
                    default -> {
                        if (args[i].startsWith("--") || uri != null) {
                            throw new IllegalArgumentException("unknown argument " + args[i]);
                        }
                        uri = URI.create(args[i]);
                    }
                }
            }
            if (uri == null || !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("give one http:// URL");
            }
            if ((durationMillis < 0) == (untilFile == null)) {
                throw new IllegalArgumentException("give either --duration or --until-file");
            }
            if (connections < 1) {
                throw new IllegalArgumentException("--connections must be at least 1");
            }
        } catch (RuntimeException e) {
            System.err.println("KeepAliveLoad: " + e.getMessage() + "\nusage: java bench/KeepAliveLoad.java URL"
                    + " [--connections 16] (--duration 30s | --until-file F) [--pause 0ms] [--json]");
            System.exit(2);
        }
        KeepAliveLoad load = new KeepAliveLoad(uri, pauseMillis);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread thread = new Thread(load::connection, "connection-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        long deadline = durationMillis < 0 ? Long.MAX_VALUE : System.nanoTime() + durationMillis * 1_000_000;
        while (System.nanoTime() < deadline && (untilFile == null || !Files.exists(untilFile))) {
            Thread.sleep(20);
        }
        long stopNanos = System.nanoTime();
        load.stopping = true;
        for (Thread thread : threads) {
            thread.join(TIMEOUT_MS + 1000);
        }
        load.stopped(stopNanos);
        System.out.println(json ? load.json(stopNanos) : load.summary(stopNanos));
    }

    /** One keep-alive connection's loop: requests until stopped, a new connection after a close or an error. */
    void connection() {
        Connection connection = null;
        while (!stopping) {
            try {
                if (connection == null) {
                    connection = connect();
                }
                boolean keepAlive;
                try {
                    keepAlive = connection.exchange();
                } catch (ClosedBeforeResponse e) {
                    if (connection.served == 0) {
                        throw e;
                    }
                    connection.close(); // the server closed the idle connection as the request went out: once more
                    retried.incrementAndGet();
                    connection = connect();
                    keepAlive = connection.exchange();
                }
                if (!keepAlive) {
                    connection.close();
                    connection = null;
                }
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            } catch (InterruptedException e) {
                break;
            } catch (Exception e) {
                error(e);
                if (connection != null) {
                    connection.close();
                }
                connection = null;
                pauseAfterError();
            }
        }
        if (connection != null) {
            connection.close();
        }
    }

    Connection connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MS);
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            return new Connection(socket);
        } catch (IOException e) {
            socket.close();
            throw e instanceof SocketTimeoutException ? e : new ConnectException(e.getMessage());
        }
    }

    /** A socket with its buffered input, and how many responses it has carried (more than 0: a reused one). */
    class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        int served;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 16384);
            this.out = socket.getOutputStream();
        }

        /** Sends the GET and reads the whole response; returns whether the connection may be reused. */
        boolean exchange() throws IOException {
            String statusLine;
            try {
                out.write(request);
                out.flush();
                statusLine = firstLine(in);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                throw e instanceof ClosedBeforeResponse ? e : new ClosedBeforeResponse(e.getMessage());
            }
            int status = status(statusLine);
            Headers headers = headers(in);
            while (status >= 100 && status < 200) { // an interim response: the final one follows
                statusLine = line(in);
                status = status(statusLine);
                headers = headers(in);
            }
            boolean keepAlive = !headers.close && statusLine.startsWith("HTTP/1.1");
            if (status == 204 || status == 304) {
                // no body
            } else if (headers.chunked) {
                readChunked(in);
            } else if (headers.contentLength >= 0) {
                skip(in, headers.contentLength);
            } else {
                while (in.read() != -1) {
                    // the body runs to the end of the connection
                }
                keepAlive = false;
            }
            served++;
            requests.incrementAndGet();
            responded(System.nanoTime());
            if (status < 200 || status > 299) {
                non2xx.incrementAndGet();
                example("HTTP " + status);
            }
            return keepAlive;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing after a failure or at the end: nothing more to learn
            }
        }
    }

    record Headers(long contentLength, boolean chunked, boolean close) {
    }

    static Headers headers(InputStream in) throws IOException {
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IOException("malformed header line: " + line);
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "connection" -> close = value.contains("close");
                default -> {
                }
            }
        }
        return new Headers(length, chunked, close);
    }

    static int status(String statusLine) throws IOException {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("malformed status line: " + statusLine);
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed status line: " + statusLine);
        }
    }

    static void readChunked(InputStream in) throws IOException {
        while (true) {
            String sizeLine = line(in);
            int semicolon = sizeLine.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!line(in).isEmpty()) {
                    // trailer fields
                }
                return;
            }
            skip(in, size);
            if (!line(in).isEmpty()) {
                throw new IOException("malformed chunk: no CRLF after its data");
            }
        }
    }

    static void skip(InputStream in, long count) throws IOException {
        byte[] buffer = new byte[8192];
        while (count > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, count));
            if (read < 0) {
                throw new EOFException("connection closed with " + count + " bytes of the body missing");
            }
            count -= read;
        }
    }

    /** The status line: end of stream before its first byte means the server closed without answering. */
    static String firstLine(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new ClosedBeforeResponse("end of stream before the response");
        }
        return (char) first + line(in);
    }

    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed in the middle of a response");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    synchronized void responded(long nanos) {
        if (lastResponseNanos < 0) {
            lastResponseNanos = nanos;
            return;
        }
        long gap = nanos - lastResponseNanos;
        if (gap > longestGapNanos) {
            longestGapNanos = gap;
            longestGapEndNanos = nanos;
        }
        lastResponseNanos = Math.max(lastResponseNanos, nanos);
    }

    /** The time from the last response to the stop counts as a gap too, and the whole run when nothing answered. */
    synchronized void stopped(long nanos) {
        if (lastResponseNanos < 0) {
            lastResponseNanos = startNanos;
        }
        responded(nanos);
    }

    void error(Exception e) {
        if (e instanceof SocketTimeoutException) {
            timeouts.incrementAndGet();
            example("timeout after " + TIMEOUT_MS + " ms");
        } else if (e instanceof ConnectException) {
            connectErrors.incrementAndGet();
            example("connect: " + e.getMessage());
        } else {
            otherErrors.incrementAndGet();
            example(e instanceof ClosedBeforeResponse ? "closed before a response: " + e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    synchronized void example(String what) {
        if (examples.size() < EXAMPLES) {
            examples.add(String.format(Locale.ROOT, "%.3f s: %s", (System.nanoTime() - startNanos) / 1e9, what));
        }
    }

    void pauseAfterError() {
        try {
            Thread.sleep(10); // a refused connection must not turn into a busy loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long errors() {
        return non2xx.get() + connectErrors.get() + timeouts.get() + otherErrors.get();
    }

    synchronized String summary(long stopNanos) {
        double seconds = (stopNanos - startNanos) / 1e9;
        long answered = requests.get();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "requests %d in %.1f s (%.0f req/s)%n"
                        + "retried %d (the server closed a reused connection before answering; sent again)%n"
                        + "errors %d (non-2xx %d, connect %d, timeout %d, other %d)%n"
                        + "longest gap %d ms (ending at %s, %.1f s into the run)",
                answered, seconds, answered / seconds, retried.get(), errors(), non2xx.get(), connectErrors.get(),
                timeouts.get(), otherErrors.get(), gapMillis(), gapEnd(), (longestGapEndNanos - startNanos) / 1e9));
        examples.forEach(example -> text.append("\n  error at ").append(example));
        return text.toString();
    }

    synchronized String json(long stopNanos) {
        double seconds = (stopNanos - startNanos) / 1e9;
        long answered = requests.get();
        StringBuilder list = new StringBuilder();
        for (String example : examples) {
            list.append(list.length() == 0 ? "" : ",").append('"')
                    .append(example.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return String.format(Locale.ROOT, "{\"requests\":%d,\"seconds\":%.3f,\"requestsPerSecond\":%.1f,"
                        + "\"retried\":%d,\"errors\":%d,\"non2xx\":%d,\"connect\":%d,\"timeouts\":%d,\"other\":%d,"
                        + "\"longestGapMs\":%d,\"longestGapEnd\":\"%s\",\"examples\":[%s]}",
                answered, seconds, answered / seconds, retried.get(), errors(), non2xx.get(), connectErrors.get(),
                timeouts.get(), otherErrors.get(), gapMillis(), gapEnd(), list);
    }

    long gapMillis() {
        return longestGapNanos / 1_000_000;
    }

    String gapEnd() {
        long millis = startMillis + (longestGapEndNanos - startNanos) / 1_000_000;
        return LocalTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS"));
    }

    static long millis(String duration) {
        String number = duration.replaceAll("[a-z]+$", "");
        String unit = duration.substring(number.length());
        long value = Long.parseLong(number);
        return switch (unit) {
            case "ms" -> value;
            case "s", "" -> value * 1000;
            case "m" -> value * 60_000;
            default -> throw new IllegalArgumentException("unknown duration unit in " + duration + " (ms, s, m)");
        };
    }

    /** The server closed (or reset) the connection before sending any byte of the response. */
    static class ClosedBeforeResponse extends IOException {
        private static final long serialVersionUID = 1L;

        ClosedBeforeResponse(String message) {
            super(message);
        }
    }
}
