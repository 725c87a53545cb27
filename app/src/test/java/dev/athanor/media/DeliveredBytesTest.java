package dev.athanor.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.platform.db.Database;
import dev.athanor.platform.db.Migrations;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.RequestHeaders;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import io.dropwizard.jackson.Jackson;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** When the site streams a video, the delivery event learns the bytes written, also when the client goes away. */
class DeliveredBytesTest {

    @Test
    void aTransferCutShortCountsWhatWentOut() throws Exception {
        TestDatabase database = TestPostgres.shared().createDatabase();
        new Migrations(database.dataSource()).migrate();
        Jdbi jdbi = Database.jdbi(database.dataSource());
        MediaFactory factory = Jackson.newObjectMapper().convertValue(Map.of(
                "directory", TestPostgres.newDirectory("delivered-media").toString()), MediaFactory.class);
        Media media = factory.build(jdbi);
        Video video = jdbi.inTransaction(handle -> media.registerVideo(handle, ContentFolderBuilder.DEMO_VIDEO,
                OptionalInt.empty()));
        AtomicLong sent = new AtomicLong(-1);

        Response response = media.deliver(video, "GET", RequestHeaders.of(Map.of()), sent::set);
        assertThat(sent.get()).as("nothing counted before the body is written").isEqualTo(-1);
        ClientGoingAway client = new ClientGoingAway(100_000);
        assertThatThrownBy(() -> ((StreamingOutput) response.getEntity()).write(client))
                .isInstanceOf(IOException.class);

        assertThat(client.taken).isPositive().isLessThan(video.sizeBytes());
        assertThat(sent.get()).isEqualTo(client.taken);
    }

    /** Takes whole writes until {@code limit} bytes, then fails as a closed connection does. */
    private static final class ClientGoingAway extends OutputStream {
        private final long limit;
        private long taken;

        ClientGoingAway(long limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (taken + length > limit) {
                throw new IOException("Broken pipe");
            }
            taken += length;
        }
    }
}
