package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The page views nginx sends as syslog datagrams reach the site's counter, from both release slots' listeners on one
 * port while they overlap, each view once; anything else sent there is ignored.
 */
class NginxPageViewsTest {

    @Test
    void nginxsDatagramsAreCountedOnceAcrossTwoListenersAndOtherDatagramsIgnored() throws Exception {
        List<String> counted = new CopyOnWriteArrayList<>();
        NginxPageViews first = new NginxPageViews(0, counted::add);
        first.start();
        NginxPageViews second = new NginxPageViews(first.port(), counted::add);
        second.start();
        try (DatagramChannel nginx = DatagramChannel.open()) {
            InetSocketAddress site = new InetSocketAddress("127.0.0.1", first.port());
            for (int i = 0; i < 100; i++) {
                send(nginx, site, "<190>Dec  7 09:13:01 athanor_pages: /courses/java/intro");
            }
            send(nginx, site, "<190>Dec  7 09:13:01 athanor_pages: /");
            send(nginx, site, "<190>Dec  7 09:13:01 sshd: Accepted publickey for root");
            send(nginx, site, "<190>Dec  7 09:13:01 athanor_pages: not a path");
            send(nginx, site, "not syslog at all");

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (counted.size() < 101 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(200); // and nothing more arrives
        } finally {
            second.stop();
            first.stop();
        }
        assertThat(counted).hasSize(101).contains("/").filteredOn("/courses/java/intro"::equals).hasSize(100);
    }

    @Test
    void thePathIsWhatFollowsTheTag() {
        assertThat(NginxPageViews.path("<190>Dec  7 09:13:01 athanor_pages: /articles/news"))
                .isEqualTo("/articles/news");
        assertThat(NginxPageViews.path("<190>Dec  7 09:13:01 athanor_pages: /a b")).isNull();
        assertThat(NginxPageViews.path("<190>Dec  7 09:13:01 other: /articles/news")).isNull();
    }

    private static void send(DatagramChannel channel, InetSocketAddress to, String text) throws Exception {
        channel.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), to);
    }
}
