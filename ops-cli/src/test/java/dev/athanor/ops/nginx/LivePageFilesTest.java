package dev.athanor.ops.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.testing.Nginx;
import dev.athanor.ops.testing.OpsConfig;
import dev.athanor.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each switch of nginx's upstream (ops deploy, ops rollback) also points {@code nginx.pageFiles/live} at the new
 * live slot's page files, so nginx sends the pages that release wrote and never the other's; a server that is no
 * slot's leaves nginx no page files at all. Local mode's real nginx, in front of two stand-in instances on the two
 * slots' ports.
 */
class LivePageFilesTest {

    private static Path directory;
    private static NginxControl nginx;
    private static int port;
    private static Backend slotA;
    private static Backend slotB;
    private static Backend elsewhere;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Nginx.installed(), "nginx is not installed (./dev test installs it)");
        directory = TestPostgres.newDirectory("live-page-files");
        port = TestPostgres.freePort();
        slotA = Backend.answering("a");
        slotB = Backend.answering("b");
        elsewhere = Backend.answering("elsewhere");
        Path config = new OpsConfig(directory)
                .set("site", "name", "Test Academy")
                .set("deploy", "mode", "local")
                .set("deploy", "localPort", Integer.toString(port))
                .set("deploy", "slotA", "{port: " + port(slotA) + ", adminPort: " + TestPostgres.freePort() + "}")
                .set("deploy", "slotB", "{port: " + port(slotB) + ", adminPort: " + TestPostgres.freePort() + "}")
                .set("nginx", "staticRoot", directory.resolve("static").toString())
                .set("nginx", "pageFiles", directory.resolve("pages").toString())
                .write();
        for (String slot : List.of("a", "b")) {
            Path page = directory.resolve("pages").resolve(slot).resolve("courses/java.html");
            Files.createDirectories(page.getParent());
            Files.writeString(page, "slot " + slot + "'s page file");
        }
        nginx = NginxControl.of(ConfigOption.of(config).load());
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.stopLocal();
        }
        for (Backend backend : new Backend[] {slotA, slotB, elsewhere}) {
            if (backend != null) {
                backend.close();
            }
        }
    }

    @Test
    void nginxSendsTheLiveSlotsPageFilesAfterEachSwitchAndAsksTheSiteForTheRest() throws Exception {
        for (Backend live : List.of(slotA, slotB, slotA)) {
            String slot = live == slotA ? "a" : "b";
            nginx.switchUpstream(List.of(live.address()));
            int before = live.requests();

            assertThat(get("/courses/java")).isEqualTo("slot " + slot + "'s page file");
            assertThat(live.requests()).as("sent from the file").isEqualTo(before);
            assertThat(get("/courses/python")).as("no file").isEqualTo("backend " + slot);
            assertThat(get("/courses/java", "Cookie", "session=abc")).as("a session cookie")
                    .isEqualTo("backend " + slot);
            assertThat(get("/courses/java?page=2")).as("a query").isEqualTo("backend " + slot);
            assertThat(Files.readSymbolicLink(directory.resolve("pages/live"))).isEqualTo(Path.of(slot));
        }

        nginx.switchUpstream(List.of(elsewhere.address()));
        assertThat(directory.resolve("pages/live")).doesNotExist();
        assertThat(get("/courses/java")).as("a server that is no slot's: no page files").isEqualTo("backend elsewhere");
    }

    private static String get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int port(Backend backend) {
        String address = backend.address();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
