package dev.athanor.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.platform.db.Database;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.RequestHeaders;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.jackson.Jackson;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Behind nginx, the site checks access and hands the transfer itself (ranges included) to nginx, recording the
 * requested range.
 */
class AccelRedirectTest {

    @Test
    void theSiteAnswersWithTheInternalLocationAndNoBody() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        Jdbi jdbi = Database.jdbi(database.dataSource());
        MediaFactory factory = Jackson.newObjectMapper().convertValue(Map.of(
                "directory", TestPostgres.newDirectory("accel-media").toString(),
                "delivery", Map.of("accelRedirect", true, "accelPrefix", "/protected-media/")), MediaFactory.class);
        Media media = factory.build(jdbi);
        Video video = jdbi.inTransaction(handle -> media.registerVideo(handle, ContentFolderBuilder.DEMO_VIDEO,
                OptionalInt.empty()));
        AtomicLong sent = new AtomicLong(-1);

        Response response = media.deliver(video, "GET", RequestHeaders.of(Map.of("Range", "bytes=0-99")),
                sent::set);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaderString("X-Accel-Redirect")).isEqualTo("/protected-media/" + video.key());
        assertThat(response.getHeaderString("Content-Type")).isEqualTo("video/mp4");
        assertThat(response.hasEntity()).isFalse();
        assertThat(sent.get()).as("nginx sends the range, not the file").isEqualTo(100);
        sent.set(-1);
        media.deliver(video, "HEAD", RequestHeaders.of(Map.of()), sent::set);
        assertThat(sent.get()).as("a HEAD sends nothing").isEqualTo(-1);
        assertThat(factory.getDirectory().resolve(video.key())).exists();
    }
}
