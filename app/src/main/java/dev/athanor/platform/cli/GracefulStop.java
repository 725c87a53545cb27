package dev.athanor.platform.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractNetworkConnector;
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
 * <p>In place of Jetty's own graceful stop, which shortened every connection's idle timeout to one second (a request
 * still receiving its body failed with a 500), answered 503 to requests on open connections, and closed a connection
 * after a response that had gone out without {@code Connection: close} (the client's next request met a closed or
 * reset connection).
 */
final class GracefulStop implements LifeCycle.Listener {

    /** How long a connection open when the drain begins may stay without a request before it is closed. */
    static final Duration QUIET = Duration.ofSeconds(1);

    /** How long the drain waits at most for a closed listening socket to refuse connections. */
    private static final Duration REFUSAL_WAIT = Duration.ofSeconds(1);

    /** How often the drain looks whether every connection has closed. */
    private static final Duration POLL = Duration.ofMillis(20);

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
        List<AbstractNetworkConnector> connectors = new ArrayList<>();
        List<InetSocketAddress> listening = new ArrayList<>();
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof AbstractNetworkConnector network && network.isRunning()) {
                // Not Jetty's shutdown(): that also closes a connection after a response already on its way without
                // Connection: close, and the client's next request on it met a closed (or reset) connection.
                listening.add(reachable(network));
                network.setAccepting(false);
                network.close();
                connectors.add(network);
            }
        }
        // A listening socket that a thread is accepting on closes only once that thread has woken up. Until then
        // the kernel still takes connections, and resets them when it closes: a client told to close (below) and
        // reconnecting meanwhile would lose its request. So the drain begins once a new connection is refused.
        long refusedBy = System.nanoTime() + REFUSAL_WAIT.toNanos();
        listening.forEach(address -> awaitRefused(address, refusedBy));
        handler.startDraining(QUIET);
        int open = 0;
        for (AbstractNetworkConnector connector : connectors) {
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                open++;
                quietenIfIdle(endPoint, connector.getIdleTimeout());
            }
        }
        LOGGER.info("Stopping: new connections refused; {} open, {} requests in flight; waiting up to {} ms", open,
                handler.inFlight(), grace);
        boolean idle = awaitClosed(connectors, started, grace);
        if (idle) {
            LOGGER.info("Drained in {} ms: {} requests answered on open connections meanwhile",
                    elapsedMillis(started), handler.answeredWhileDraining());
        } else {
            LOGGER.warn("Stopping after the grace period ({} ms) with {} requests still in flight", grace,
                    handler.inFlight());
        }
        // Jetty's own graceful stop has nothing left to wait for, and no more than the grace period that is left.
        server.setStopTimeout(Math.max(1, grace - elapsedMillis(started)));
    }

    private static InetSocketAddress reachable(AbstractNetworkConnector connector) {
        String host = connector.getHost();
        boolean anyAddress = host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
        return anyAddress ? new InetSocketAddress(InetAddress.getLoopbackAddress(), connector.getLocalPort())
                : new InetSocketAddress(host, connector.getLocalPort());
    }

    /** Connects to {@code address} until that is refused, or the deadline passes. */
    private static void awaitRefused(InetSocketAddress address, long deadline) {
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(address, (int) REFUSAL_WAIT.toMillis());
            } catch (ConnectException refused) {
                return;
            } catch (IOException e) {
                LOGGER.debug("Could not tell whether {} still takes connections", address, e);
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Whether every connection closed within the grace period. */
    private static boolean awaitClosed(List<AbstractNetworkConnector> connectors, long started, long grace) {
        try {
            while (connectors.stream().anyMatch(connector -> !connector.getConnectedEndPoints().isEmpty())) {
                if (elapsedMillis(started) >= grace) {
                    return false;
                }
                Thread.sleep(POLL.toMillis());
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
