package dev.athanor.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.backup.scheduler.SchedulerFactory;
import dev.athanor.monitoring.nginx.NginxFactory;
import io.dropwizard.jackson.Jackson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each node named in nginx.peers opens its own pool, extras and scheduler beside this one's. */
class ConnectionDemandTest {

    @Test
    void everyPeerIsANodeWithItsOwnConnections() {
        DatabaseFactory database = new DatabaseFactory();
        database.setMaxSize(8);
        NginxFactory alone = Jackson.newObjectMapper().convertValue(Map.of(), NginxFactory.class);
        NginxFactory three = Jackson.newObjectMapper().convertValue(Map.of("peers",
                List.of("10.0.0.2", "10.0.0.3:8080")), NginxFactory.class);

        ConnectionDemand one = ConnectionDemand.of(database, new SchedulerFactory(), alone);
        ConnectionDemand all = ConnectionDemand.of(database, new SchedulerFactory(), three);

        assertThat(one.nodes()).isEqualTo(1);
        assertThat(all.nodes()).isEqualTo(3);
        assertThat(all.direct()).isEqualTo(3 * one.directPerNode() + ConnectionDemand.OPS)
                .isEqualTo(3 * (8 + 2 + one.scheduler()) + 3);
    }
}
