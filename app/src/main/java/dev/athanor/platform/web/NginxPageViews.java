package dev.athanor.platform.web;

import dev.athanor.monitoring.nginx.NginxSite;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the page views nginx answers from the page files ({@link PageFiles}) without asking the site: nginx logs each
 * one as a syslog datagram to this port on loopback ({@code nginx.pageViewsPort}), tagged {@value #TAG}, its message
 * the page's path, and this listener hands the path to the same counter the site's own page views go to.
 *
 * <p>The port is bound with {@code SO_REUSEPORT}, so that both release slots listen during a deploy: the kernel gives
 * each datagram to one of them, and none is counted twice. Only processes of the same user may share it. A datagram
 * that is not nginx's page view is ignored.
 */
public final class NginxPageViews implements Managed {

    /** The syslog tag nginx sends page views with. */
    public static final String TAG = NginxSite.PAGE_VIEWS_TAG;

    private static final Logger LOG = LoggerFactory.getLogger(NginxPageViews.class);
    private static final String MARKER = TAG + ": ";

    private final int port;
    private final Consumer<String> pageViews;
    private DatagramChannel channel;
    private Thread reader;

    public NginxPageViews(int port, Consumer<String> pageViews) {
        this.port = port;
        this.pageViews = pageViews;
    }

    @Override
    public void start() throws IOException {
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        try {
            channel.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            channel.close();
            throw new IOException("Could not listen for nginx's page views on UDP 127.0.0.1:" + port
                    + " (nginx.pageViewsPort): " + e.getMessage() + "; another program holds it", e);
        }
        reader = new Thread(this::receive, "nginx-page-views");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void stop() throws Exception {
        channel.close();
        reader.join(5_000);
    }

    /** The port it listens on (the one asked for, or the one the system chose for 0). */
    int port() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private void receive() {
        ByteBuffer datagram = ByteBuffer.allocate(2048);
        while (channel.isOpen()) {
            try {
                datagram.clear();
                channel.receive(datagram);
                datagram.flip();
                String path = path(StandardCharsets.UTF_8.decode(datagram).toString());
                if (path != null) {
                    pageViews.accept(path);
                }
            } catch (ClosedChannelException stopped) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not read a page view from nginx: {}", e.toString());
            }
        }
    }

    /**
     * The path in one of nginx's syslog datagrams ({@code <190>Dec  7 09:13:01 athanor_pages: /courses/intro}); null
     * for anything else.
     */
    static String path(String datagram) {
        int marker = datagram.indexOf(MARKER);
        if (marker < 0) {
            return null;
        }
        String path = datagram.substring(marker + MARKER.length()).strip();
        return path.startsWith("/") && path.length() <= 512 && path.chars().noneMatch(Character::isWhitespace)
                ? path : null;
    }
}
