package dev.athanor.platform.cli;

import dev.athanor.platform.health.SiteHealth;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * In front of every other handler (the page cache's included): knows which connections have a request in flight, and
 * during a {@link GracefulStop} answers every request as usual but with {@code Connection: close}, gives a request
 * arriving on an open connection the connector's usual idle timeout back (it is answered in full), and answers
 * readiness ({@code /health}) 503 {@code {"status":"stopping"}} so that monitors and load balancers look elsewhere.
 */
final class DrainHandler extends Handler.Wrapper {

    private static final ByteBuffer STOPPING = ByteBuffer.wrap("{\"status\":\"stopping\"}"
            .getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    private final Map<EndPoint, Integer> busy = new ConcurrentHashMap<>();
    private final AtomicLong answeredWhileDraining = new AtomicLong();
    private volatile boolean draining;
    private volatile long quietMillis;

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        busy.merge(endPoint, 1, Integer::sum);
        Callback done = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                closeIfDraining(response); // a response completed without a write is committed after this
                super.succeeded();
            }

            @Override
            public void completed() {
                idle(endPoint);
            }
        };
        // A request already in flight when the drain begins: its response, not yet begun, closes the connection too.
        Response closing = new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback written) {
                closeIfDraining(this);
                super.write(last, content, written);
            }
        };
        if (draining) {
            // A request on a connection that looked idle when the drain began: it gets the usual patience.
            endPoint.setIdleTimeout(request.getConnectionMetaData().getConnector().getIdleTimeout());
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            answeredWhileDraining.incrementAndGet();
            if (isReadiness(request)) {
                response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                response.write(true, "HEAD".equals(request.getMethod()) ? null : STOPPING.slice(), done);
                return true;
            }
        }
        try {
            boolean handled = super.handle(request, closing, done);
            if (!handled) {
                idle(endPoint);
            }
            return handled;
        } catch (Exception | Error e) {
            idle(endPoint);
            throw e;
        }
    }

    /**
     * From now on every response closes its connection, and readiness says the site is stopping; a connection whose
     * response was sent is closed after {@code quiet} at the latest, even when its client keeps its end open.
     */
    void startDraining(Duration quiet) {
        quietMillis = quiet.toMillis();
        draining = true;
    }

    /** Whether a request is being answered on {@code endPoint}. */
    boolean isBusy(EndPoint endPoint) {
        return busy.containsKey(endPoint);
    }

    /** Requests being answered now. */
    int inFlight() {
        return busy.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Requests that arrived since the drain began (on connections that were open already). */
    long answeredWhileDraining() {
        return answeredWhileDraining.get();
    }

    private void closeIfDraining(Response response) {
        if (draining && !response.isCommitted()) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
    }

    private void idle(EndPoint endPoint) {
        busy.computeIfPresent(endPoint, (key, count) -> count == 1 ? null : count - 1);
        if (draining) {
            endPoint.setIdleTimeout(quietMillis);
        }
    }

    private static boolean isReadiness(Request request) {
        String method = request.getMethod();
        return ("GET".equals(method) || "HEAD".equals(method))
                && SiteHealth.PATH.equals(request.getHttpURI().getPath())
                && !"alive".equals(Request.extractQueryParameters(request).getValue("type"));
    }
}
