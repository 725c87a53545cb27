package dev.athanor.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The release archive {@code mvn package} builds ({@code ops-cli/target/athanor-VERSION.tar.gz}), opened as
 * {@code ops deploy} opens it: one top directory {@code athanor-VERSION/} holding the two jars of this build, the
 * repository's config.yml, nginx site and every file of systemd/, the scripts executable and nothing else, and a
 * release.properties naming the version.
 */
class ReleaseArchiveIT {

    private static final Path REPOSITORY = Path.of("..");
    private static final String VERSION = System.getProperty("athanor.version");
    private static final String TOP = "athanor-" + VERSION + "/";

    /** Each entry's name (without the top directory), mode and SHA-256 (directories: "dir"). */
    private static final Map<String, Entry> ENTRIES = new TreeMap<>();

    private record Entry(int mode, String sha256, String text) {
    }

    @BeforeAll
    static void readArchive() throws IOException {
        Path archive = Path.of(System.getProperty("athanor.archive"));
        assertThat(archive).as("built by mvn package").isRegularFile()
                .hasFileName("athanor-" + VERSION + ".tar.gz");
        try (InputStream file = Files.newInputStream(archive);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                assertThat(entry.getName()).as("every entry is under the one top directory").startsWith(TOP);
                String name = entry.getName().substring(TOP.length());
                if (entry.isDirectory()) {
                    ENTRIES.put(name, new Entry(entry.getMode() & 07777, "dir", ""));
                } else {
                    assertThat(entry.isFile()).as(name + " is a plain file (no link, no device)").isTrue();
                    byte[] content = tar.readAllBytes();
                    ENTRIES.put(name, new Entry(entry.getMode() & 07777, sha256(content),
                            content.length < 100_000 ? new String(content, StandardCharsets.UTF_8) : ""));
                }
            }
        }
    }

    @Test
    void holdsExactlyTheReleasesFiles() throws IOException {
        assertThat(ENTRIES.keySet().stream().filter(name -> !ENTRIES.get(name).sha256().equals("dir")))
                .containsExactlyInAnyOrderElementsOf(Stream.concat(Stream.of("athanor.jar", "ops.jar", "config.yml",
                        "nginx/athanor.conf", "release.properties"), repositoryFiles("systemd").stream()).toList());
        assertThat(ENTRIES.keySet()).as("directories").filteredOn(name -> ENTRIES.get(name).sha256().equals("dir"))
                .allMatch(name -> name.isEmpty() || name.equals("systemd/") || name.equals("nginx/"));
    }

    @Test
    void theJarsAreThisBuilds() throws IOException {
        assertThat(ENTRIES.get("athanor.jar").sha256()).isEqualTo(sha256(REPOSITORY.resolve("app/target/athanor.jar")));
        assertThat(ENTRIES.get("ops.jar").sha256()).isEqualTo(sha256(Path.of("target/ops.jar")));
        assertThat(ENTRIES.get("config.yml").sha256()).isEqualTo(sha256(REPOSITORY.resolve("config.yml")));
        assertThat(ENTRIES.get("nginx/athanor.conf").sha256())
                .isEqualTo(sha256(REPOSITORY.resolve("nginx/athanor.conf")));
    }

    @Test
    void theScriptsAreExecutableAndTheRestIsNot() throws IOException {
        for (String name : repositoryFiles("systemd")) {
            Path source = REPOSITORY.resolve(name);
            assertThat(ENTRIES.get(name).sha256()).as(name).isEqualTo(sha256(source));
            int expected = name.equals("systemd/ops") || name.equals("systemd/athanor-oom-note") ? 0755 : 0644;
            assertThat(Integer.toOctalString(ENTRIES.get(name).mode())).as(name + "'s mode").isEqualTo(
                    Integer.toOctalString(expected));
            assertThat(Files.isExecutable(source)).as(name + " in the repository is executable as in the archive")
                    .isEqualTo(expected == 0755);
        }
        for (String name : new String[] {"athanor.jar", "ops.jar", "config.yml", "nginx/athanor.conf",
                "release.properties"}) {
            assertThat(Integer.toOctalString(ENTRIES.get(name).mode())).as(name + "'s mode").isEqualTo("644");
        }
        assertThat(ENTRIES.get("systemd/athanor@.service")).as("the site's unit is the template").isNotNull();
        assertThat(ENTRIES).doesNotContainKey("systemd/athanor.service");
    }

    @Test
    void releasePropertiesNamesTheVersion() {
        assertThat(VERSION).isNotBlank().doesNotContain("${");
        assertThat(ENTRIES.get("release.properties").text()).isEqualTo("version=" + VERSION + "\n");
    }

    /** The files of a directory of the repository, as {@code directory/name}. */
    private static java.util.List<String> repositoryFiles(String directory) throws IOException {
        try (Stream<Path> files = Files.list(REPOSITORY.resolve(directory))) {
            return files.filter(Files::isRegularFile).map(file -> directory + "/" + file.getFileName()).sorted()
                    .toList();
        }
    }

    private static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
