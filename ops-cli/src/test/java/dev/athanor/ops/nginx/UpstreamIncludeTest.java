package dev.athanor.ops.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.ops.shared.ConfigFileException;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.testing.OpsConfig;
import dev.athanor.ops.testing.OpsRun;
import dev.athanor.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The upstream include's servers: this node's first, then the other nodes, a bare host standing for both slots. */
class UpstreamIncludeTest {

    @Test
    void aBareHostStandsForBothSlotsAndAPortForItself() {
        assertThat(UpstreamInclude.servers("127.0.0.1:8090", List.of("10.0.0.2", "10.0.0.3:9000",
                "[fd00::4]"), List.of(8080, 8090))).containsExactly("127.0.0.1:8090", "10.0.0.2:8080",
                "10.0.0.2:8090", "10.0.0.3:9000", "[fd00::4]:8080", "[fd00::4]:8090");
    }

    @Test
    void theRenderedIncludeNamesEachServerOnceAndReadsBackInOrder() throws Exception {
        Path file = Files.createTempFile("upstream", ".conf");
        try {
            Files.writeString(file, UpstreamInclude.render(List.of("127.0.0.1:8080", "10.0.0.2:8080")));
            assertThat(UpstreamInclude.read(file)).containsExactly("127.0.0.1:8080", "10.0.0.2:8080");
            assertThat(Files.readString(file)).contains("server 127.0.0.1:8080 max_fails=0;\n",
                    "server 10.0.0.2:8080 max_fails=1 fail_timeout=5s;\n");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void aPeerThatIsNoAddressIsRefusedWhenTheConfigurationLoads() throws Exception {
        Path config = new OpsConfig(TestPostgres.newDirectory("peers"))
                .set("nginx", "peers", "[\"10.0.0.2:8080; evil\"]").write();
        assertThatThrownBy(() -> ConfigOption.of(config).load()).isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("nginx.peers must be IP addresses");
        Path named = new OpsConfig(TestPostgres.newDirectory("peers-named"))
                .set("nginx", "peers", "[node2.internal]").write();
        assertThatThrownBy(() -> ConfigOption.of(named).load()).isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("no host names");
    }

    @Test
    void nginxMayTryEveryServerTheOtherNodesStandFor() throws Exception {
        Path directory = TestPostgres.newDirectory("peers-rendered");
        Path config = new OpsConfig(directory)
                .set("server", "applicationConnectors", "[{type: http, bindHost: 127.0.0.1, port: 8080}]")
                .set("nginx", "peers", "[10.0.0.2, \"10.0.0.3:9000\"]").write();

        OpsRun rendered = OpsRun.of("nginx", "config", "--config", config.toString());

        assertThat(rendered.exitCode()).as(rendered.err()).isZero();
        assertThat(rendered.out()).as("three tries, and one more for each server of the other nodes")
                .contains("proxy_next_upstream_tries 6;");
        assertThat(UpstreamInclude.read(directory.resolve("nginx-includes/athanor-upstream.conf")))
                .containsExactly("127.0.0.1:8080", "10.0.0.2:8080", "10.0.0.2:8090", "10.0.0.3:9000");
    }
}
