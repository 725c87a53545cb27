package dev.athanor.platform.web;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.metrics.jetty12.InstrumentedConnectionFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Remembers, for each HTTP/1.1 request, whether its request line addressed {@code /api/}, so that the error page for
 * a request Jetty could not parse (a URI over {@code maxRequestHeaderSize}, a malformed escape or a NUL in the path)
 * is still the API's JSON: Jetty gives such requests a placeholder path ({@code /badMessage}, {@code /badURI}) and
 * drops the real one. The connectors' HTTP/1.1 factories are replaced, before they start, by one whose parser looks
 * at the first bytes of each request line; Dropwizard's connection timer is kept.
 */
final class ApiRequestLines {

    private static final byte[] API = "/api/".getBytes(StandardCharsets.US_ASCII);

    private ApiRequestLines() {
    }

    /** Replaces the HTTP/1.1 connection factories of {@code server}'s connectors (call before they start). */
    static void install(Server server, MetricRegistry metrics) {
        for (Connector connector : server.getConnectors()) {
            if (!(connector instanceof AbstractConnector replaceable)) {
                continue;
            }
            for (ConnectionFactory factory : List.copyOf(connector.getConnectionFactories())) {
                if (factory instanceof HttpConnectionFactory http) {
                    replaceable.addConnectionFactory(noting(http));
                } else if (factory instanceof InstrumentedConnectionFactory instrumented) {
                    for (HttpConnectionFactory http : instrumented.getBeans(HttpConnectionFactory.class)) {
                        replaceable.addConnectionFactory(new InstrumentedConnectionFactory(noting(http),
                                metrics.timer(connectionsTimer(connector))));
                    }
                }
            }
        }
    }

    /** Whether {@code request}'s request line, as sent, addressed the API. */
    static boolean addressedToApi(Request request) {
        return request.getConnectionMetaData() instanceof HttpConnection connection
                && connection.getParser() instanceof NotingParser parser && parser.api;
    }

    /** Dropwizard's name for a connector's connection timer. */
    private static String connectionsTimer(Connector connector) {
        if (connector instanceof NetworkConnector network) {
            return MetricRegistry.name(HttpConnectionFactory.class, network.getHost(),
                    Integer.toString(network.getPort()), "connections");
        }
        return MetricRegistry.name(HttpConnectionFactory.class, connector.getName(), "connections");
    }

    private static HttpConnectionFactory noting(HttpConnectionFactory original) {
        if (original instanceof NotingFactory) {
            return original;
        }
        NotingFactory factory = new NotingFactory(original.getHttpConfiguration());
        factory.setInputBufferSize(original.getInputBufferSize());
        factory.setUseInputDirectByteBuffers(original.isUseInputDirectByteBuffers());
        factory.setUseOutputDirectByteBuffers(original.isUseOutputDirectByteBuffers());
        return factory;
    }

    /** Jetty's HTTP/1.1 factory, making {@link NotingConnection}s. */
    private static final class NotingFactory extends HttpConnectionFactory {
        NotingFactory(HttpConfiguration configuration) {
            super(configuration);
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            return configure(new NotingConnection(getHttpConfiguration(), connector, endPoint), connector, endPoint);
        }
    }

    /** Jetty's HTTP/1.1 connection with a {@link NotingParser}, set up exactly as Jetty sets up its own parser. */
    private static final class NotingConnection extends HttpConnection {
        NotingConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
            super(configuration, connector, endPoint);
        }

        @Override
        protected HttpParser newHttpParser(HttpCompliance compliance) {
            HttpParser standard = super.newHttpParser(compliance);
            HttpParser parser = new NotingParser((HttpParser.RequestHandler) standard.getHandler(),
                    getHttpConfiguration().getRequestHeaderSize(), compliance);
            parser.setHeaderCacheSize(standard.getHeaderCacheSize());
            parser.setHeaderCacheCaseSensitive(standard.isHeaderCacheCaseSensitive());
            return parser;
        }
    }

    /** Looks at the start of each request line before parsing it. */
    private static final class NotingParser extends HttpParser {
        private volatile boolean api;

        NotingParser(RequestHandler handler, int maxHeaderBytes, HttpCompliance compliance) {
            super(handler, maxHeaderBytes, compliance);
        }

        @Override
        public boolean parseNext(ByteBuffer buffer) {
            if (isStart()) {
                api = targetsApi(buffer);
            }
            return super.parseNext(buffer);
        }
    }

    /** Whether the request line at the start of {@code buffer} is {@code METHOD /api/...} (the buffer is untouched). */
    static boolean targetsApi(ByteBuffer buffer) {
        int at = buffer.position();
        int end = buffer.limit();
        while (at < end && (buffer.get(at) == '\r' || buffer.get(at) == '\n')) {
            at++;
        }
        while (at < end && buffer.get(at) != ' ') {
            at++;
        }
        at++;
        for (int i = 0; i < API.length; i++) {
            if (at + i >= end || buffer.get(at + i) != API[i]) {
                return false;
            }
        }
        return true;
    }
}
