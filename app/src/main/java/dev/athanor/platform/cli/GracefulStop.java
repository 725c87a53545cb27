package dev.athanor.platform.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the site stops on SIGTERM: it drains before Jetty stops anything. First the listening sockets close (a new
 * connection is refused at once, so nginx or a client tries elsewhere); then every request in flight is answered as
 * usual, and so is every request that arrives on a connection already open, with {@code Connection: close}; a
 * connection with nothing to answer is closed after {@link #QUIET} without a request. When the last connection has
 * closed, or {@code server.shutdownGracePeriod} has passed, Jetty stops the rest (and cuts what is left).
 *
 * <p>In place of Jetty's own graceful stop, which shortens every connection's idle timeout to one second (a request
 * still receiving its body failed with a 500) and answers 503 to requests on open connections.
 */
final class GracefulStop implements LifeCycle.Listener {

    /** How long a connection open when the drain begins may stay without a request before it is closed. */
    static final Duration QUIET = Duration.ofSeconds(1);

    private static final Logger LOGGER = LoggerFactory.getLogger(GracefulStop.class);

    private final DrainHandler handler = new DrainHandler();

    /** Puts the drain's handler in front of whatever the server was given, the page cache's included. */
    @Override
    public void lifeCycleStarting(LifeCycle event) {
        if (event instanceof Server server && server.getHandler() != handler) {
            handler.setHandler(server.getHandler());
            server.setHandler(handler);
        }
    }

    /** Runs in the JVM's shutdown hook (Jetty's stop at shutdown), before Jetty's own stop. */
    @Override
    public void lifeCycleStopping(LifeCycle event) {
        if (event instanceof Server server && server.getHandler() == handler) {
            drain(server);
        }
    }

    private void drain(Server server) {
        long started = System.nanoTime();
        long grace = server.getStopTimeout();
        handler.startDraining(QUIET);
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        int open = 0;
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof AbstractConnector network && network.isRunning()) {
                // Jetty's shutdown closes the listening socket and sets every connection's idle timeout to this:
                // keep the usual one for requests in flight, and shorten it below for idle connections only.
                network.setShutdownIdleTimeout(network.getIdleTimeout());
                closed.add(network.shutdown());
                for (EndPoint endPoint : network.getConnectedEndPoints()) {
                    open++;
                    quietenIfIdle(endPoint, network.getIdleTimeout());
                }
            }
        }
        LOGGER.info("Stopping: new connections refused; {} open, {} requests in flight; waiting up to {} ms", open,
                handler.inFlight(), grace);
        try {
            CompletableFuture.allOf(closed.toArray(new CompletableFuture<?>[0])).get(grace, TimeUnit.MILLISECONDS);
            LOGGER.info("Drained in {} ms: {} requests answered on open connections meanwhile",
                    elapsedMillis(started), handler.answeredWhileDraining());
        } catch (TimeoutException e) {
            LOGGER.warn("Stopping after the grace period ({} ms) with {} requests still in flight", grace,
                    handler.inFlight());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOGGER.warn("Draining failed; stopping now", e.getCause());
        }
        // Jetty's own graceful stop has nothing left to wait for, and no more than the grace period that is left.
        server.setStopTimeout(Math.max(1, grace - elapsedMillis(started)));
    }

    private void quietenIfIdle(EndPoint endPoint, long usual) {
        if (!handler.isBusy(endPoint)) {
            endPoint.setIdleTimeout(QUIET.toMillis());
            if (handler.isBusy(endPoint)) {
                // A request began meanwhile: the handler may have restored the usual timeout before this shortened it.
                endPoint.setIdleTimeout(usual);
            }
        }
    }

    private static long elapsedMillis(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
