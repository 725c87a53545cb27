package dev.athanor.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.Browser;
import dev.athanor.testing.ContentFolderBuilder;
import dev.athanor.testing.Http;
import dev.athanor.testing.Operators;
import dev.athanor.testing.PackagedSite;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TestPostgres;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's content upload streams to disk, never to the heap: the packaged jar, with the unit's JVM flags
 * (exit on OutOfMemoryError) but a 64 MiB heap, takes a content zip five times its heap, imports it, stays up, and
 * leaves no copy of it behind. Were the upload, or the zip inside it, buffered in memory, the JVM would end.
 */
class ContentUploadIT {

    private static final long HEAP_MIB = 64;
    private static final long PADDING_BYTES = 5 * HEAP_MIB * 1024 * 1024;
    private static final String OPERATOR = "upload-operator@example.com";
    private static final String PASSWORD = "an operator's long upload passphrase";
    private static final String BOUNDARY = "----athanor-upload-boundary";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final Path TEMPORARY = TestPostgres.newDirectory("content-upload-tmp");
    private static PackagedSite site;

    @BeforeAll
    static void startTheSiteWithASmallHeap() throws Exception {
        site = PackagedSite.start("content-upload", Map.of("DATABASE_URL", DATABASE.jdbcUrl(), "DATABASE_USER",
                DATABASE.user(), "DATABASE_PASSWORD", DATABASE.password()), flags -> {
                    List<String> small = new ArrayList<>(flags.stream()
                            .filter(flag -> !flag.startsWith("-Xms") && !flag.startsWith("-Xmx")).toList());
                    small.addAll(List.of("-Xms" + HEAP_MIB + "m", "-Xmx" + HEAP_MIB + "m",
                            "-Djava.io.tmpdir=" + TEMPORARY));
                    return small;
                });
    }

    @AfterAll
    static void stopTheSite() {
        if (site != null) {
            site.close();
        }
    }

    @Test
    void anUploadFiveTimesTheHeapIsImportedAndTheSiteStaysUp() throws Exception {
        Browser operator = Browser.at(site.base());
        assertThat(operator.post("/signup", "email", OPERATOR, "password", PASSWORD).statusCode()).isEqualTo(200);
        DATABASE.execute("UPDATE learner SET email_verified_at = now(), role = 'operator' WHERE email = ?",
                OPERATOR);
        Operators.signIn(operator, DATABASE, OPERATOR, PASSWORD);
        assertThat(operator.get("/admin").statusCode()).isEqualTo(200);
        Path body = uploadBody(operator.csrf());
        assertThat(Files.size(body)).isGreaterThan(PADDING_BYTES);

        long started = System.nanoTime();
        HttpResponse<String> imported;
        try {
            imported = CLIENT.send(HttpRequest.newBuilder(URI.create(site.base() + AdminResource.UPLOAD_PATH))
                    .timeout(Duration.ofMinutes(5)).header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .header("Cookie", "session=" + operator.cookie("session").orElseThrow() + "; csrf="
                            + operator.csrf())
                    .POST(HttpRequest.BodyPublishers.ofFile(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            String output = site.output();
            throw new AssertionError("no answer to the upload; the JVM is " + (site.isAlive() ? "alive" : "gone")
                    + "; the end of its output:\n" + output.substring(Math.max(0, output.length() - 2000)), e);
        } finally {
            Files.delete(body);
        }
        System.out.printf("ContentUploadIT: %d MiB uploaded to a %d MiB heap in %d ms%n", PADDING_BYTES >> 20,
                HEAP_MIB, Duration.ofNanos(System.nanoTime() - started).toMillis());

        assertThat(site.isAlive()).as("the JVM is alive; its output:%n%s", site.output()).isTrue();
        assertThat(site.output()).doesNotContain("OutOfMemoryError");
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(imported.body()).contains("1 created").doesNotContain("The upload was refused");
        assertThat(Http.get(site.base() + "/articles/streamed").statusCode()).isEqualTo(200);
        assertThat(Http.get(site.base() + "/health").statusCode()).isEqualTo(200);
        try (Stream<Path> left = Files.walk(TEMPORARY)) {
            assertThat(left.filter(Files::isRegularFile).filter(ContentUploadIT::large).toList())
                    .as("no copy of the upload is left in the temporary folder").isEmpty();
        }
    }

    /**
     * The form the admin page sends, as a file: the form token, then a content zip of one article and a stored
     * (uncompressed) file five times the heap, so the bytes on the wire are as many.
     */
    private static Path uploadBody(String csrf) throws IOException {
        Path folder = ContentFolderBuilder.in(TestPostgres.newDirectory("upload-content"))
                .article("streamed.md", "title: Streamed\nslug: streamed\npublished: 2026-01-01\n",
                        "Uploaded past the heap.").root();
        Path body = TestPostgres.newDirectory("upload-body").resolve("body");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(body), 1 << 16)) {
            out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf
                    + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"zip\"; filename=\"c.zip\""
                    + "\r\nContent-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            ZipOutputStream zip = new ZipOutputStream(out);
            byte[] article = Files.readAllBytes(folder.resolve("articles/streamed.md"));
            zip.putNextEntry(new ZipEntry("articles/streamed.md"));
            zip.write(article);
            zip.closeEntry();
            zip.putNextEntry(padding());
            byte[] block = new byte[1 << 20];
            for (long written = 0; written < PADDING_BYTES; written += block.length) {
                zip.write(block);
            }
            zip.closeEntry();
            zip.finish();
            out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        }
        return body;
    }

    /** A stored entry of zeros: the import ignores a folder it does not know. */
    private static ZipEntry padding() {
        ZipEntry entry = new ZipEntry("extras/padding.bin");
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(PADDING_BYTES);
        entry.setCompressedSize(PADDING_BYTES);
        CRC32 crc = new CRC32();
        byte[] block = new byte[1 << 20];
        for (long counted = 0; counted < PADDING_BYTES; counted += block.length) {
            crc.update(block);
        }
        entry.setCrc(crc.getValue());
        return entry;
    }

    private static boolean large(Path file) {
        try {
            return Files.size(file) > 1024 * 1024;
        } catch (IOException e) {
            return false;
        }
    }
}
