package dev.athanor.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.backup.TransferProgress;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import dev.athanor.ops.testing.SmallDisk;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Release archives unpacked into the install directory: whole or not at all, refused with a reason. */
class ReleaseStoreTest {

    @TempDir
    Path directory;

    @Test
    void aReleaseIsUnpackedWholeWithItsChecksumsAndNamedByThem() throws Exception {
        ReleaseStore store = new ReleaseStore(directory);
        Release release = install(store, archive("1.2.0", Map.of()));
        assertThat(release.name()).matches("1\\.2\\.0-[0-9a-f]{8}");
        assertThat(release.siteJar()).hasContent("site");
        assertThat(Files.isExecutable(release.directory().resolve("systemd/ops"))).isTrue();
        assertThat(Files.readString(release.directory().resolve("SHA256SUMS")))
                .contains("  athanor.jar\n").contains("  systemd/athanor@.service\n");
        assertThat(store.damaged(release)).isEmpty();

        Release again = install(store, archive("1.2.0", Map.of()));
        assertThat(again).isEqualTo(release);
        assertThat(store.list()).hasSize(1);
        Release other = install(store, archive("1.2.0", Map.of("athanor.jar", "another site")));
        assertThat(other.name()).isNotEqualTo(release.name()).startsWith("1.2.0-");

        Files.writeString(release.siteJar(), "changed on disk");
        assertThat(store.damaged(release)).containsExactly("athanor.jar");
    }

    @Test
    void anArchiveThatLeavesItsDirectoryHasALinkOrLacksAFileIsRefusedAndLeavesNothing() throws Exception {
        ReleaseStore store = new ReleaseStore(directory);
        assertRefused(store, archive("1.0", Map.of("../../outside", "x")), "leaves the release directory");
        assertThat(directory.getParent().resolve("outside")).doesNotExist();
        assertRefused(store, withLink("1.0"), "is a link");
        assertRefused(store, without("athanor.jar"), "it has no athanor.jar");
        assertRefused(store, archive("bad version!", Map.of()), "names no usable version");
        byte[] whole = archive("1.0", Map.of());
        assertRefused(store, Arrays.copyOf(whole, whole.length / 2), "cannot be read");
        assertRefused(store, "not an archive at all".getBytes(StandardCharsets.UTF_8), "holds no file");
        try (var left = Files.list(directory.resolve("releases"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFullDiskIsSaidSoWithExit74AndLeavesNothing() throws Exception {
        Path install = Files.createDirectories(directory.resolve("install"));
        byte[] large = new byte[3 << 20];
        new java.util.Random(7).nextBytes(large);
        byte[] archive = archive("2.0", Map.of("athanor.jar", new String(large, StandardCharsets.ISO_8859_1)));
        try (SmallDisk disk = SmallDisk.mount(install, "the full-disk release test")) {
            ReleaseStore store = new ReleaseStore(install);
            assertThatThrownBy(() -> install(store, archive)).isInstanceOf(DeployException.class)
                    .hasMessageContaining("No space left on device; nothing was installed")
                    .satisfies(e -> assertThat(((DeployException) e).exitCode()).isEqualTo(74));
            try (var left = Files.list(install.resolve("releases"))) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    void pruningKeepsTheNewestAndNeverTheProtectedOnes() throws Exception {
        ReleaseStore store = new ReleaseStore(directory);
        Release first = install(store, archive("1", Map.of()));
        install(store, archive("2", Map.of()));
        install(store, archive("3", Map.of()));
        Release fourth = install(store, archive("4", Map.of()));
        install(store, archive("5", Map.of()));
        assertThat(store.prune(3, Set.of(first.name()))).hasSize(2).doesNotContain(first.name());
        assertThat(store.list()).extracting(entry -> entry.installed().version()).containsExactly("5", "4", "1");
        store.makeCurrent(fourth);
        assertThat(store.current()).contains(fourth);
        assertThat(store.find("4")).contains(fourth);
        assertThatThrownBy(() -> store.find("")).isInstanceOf(DeployException.class).hasMessageContaining("names 3");
    }

    private static void assertRefused(ReleaseStore store, byte[] archive, String reason) {
        assertThatThrownBy(() -> install(store, archive)).isInstanceOf(DeployException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((DeployException) e).exitCode()).isEqualTo(65));
    }

    private static Release install(ReleaseStore store, byte[] archive) throws DeployException {
        return store.install(new ByteArrayInputStream(archive), archive.length, TransferProgress.NONE);
    }

    /** A small archive as the build lays it out, with {@code extra} files added or replaced. */
    private static byte[] archive(String version, Map<String, String> extra) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("athanor.jar", "site");
        files.put("ops.jar", "ops");
        files.put("release.properties", "version=" + version + "\n");
        files.put("systemd/athanor@.service", "[Service]\nExecStart=/usr/bin/java -Xmx256m -jar x.jar\n");
        files.put("systemd/ops", "#!/bin/sh\n");
        files.putAll(extra);
        return tar("athanor-" + version, files, null);
    }

    private static byte[] without(String name) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("ops.jar", "ops");
        files.put("release.properties", "version=1.0\n");
        files.put("systemd/athanor@.service", "[Service]\n");
        files.remove(name);
        return tar("athanor-1.0", files, null);
    }

    private static byte[] withLink(String version) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("athanor.jar", "site");
        return tar("athanor-" + version, files, "/etc/passwd");
    }

    private static byte[] tar(String top, Map<String, String> files, String linkTarget) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(top + "/" + file.getKey());
                entry.setMode(file.getKey().equals("systemd/ops") ? 0755 : 0644);
                entry.setSize(content.length);
                out.putArchiveEntry(entry);
                out.write(content);
                out.closeArchiveEntry();
            }
            if (linkTarget != null) {
                TarArchiveEntry link = new TarArchiveEntry(top + "/systemd", TarArchiveEntry.LF_SYMLINK);
                link.setLinkName(linkTarget);
                out.putArchiveEntry(link);
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
