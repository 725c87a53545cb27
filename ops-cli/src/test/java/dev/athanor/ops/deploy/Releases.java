package dev.athanor.ops.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import javax.tools.ToolProvider;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Release archives for the deploy tests, made from the real one {@code mvn package} built: the same with another
 * version string, with a migration added to its site jar, or with a site jar that never becomes ready.
 */
final class Releases {

    private Releases() {
    }

    /** The archive the build made ({@code ops-cli/target/athanor-VERSION.tar.gz}). */
    static Path built() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(file -> file.getFileName().toString().matches("athanor-.*\\.tar(\\.gz)?"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no release archive in target/: run"
                            + " mvn package first"));
        }
    }

    /** A copy of {@code archive} whose release.properties says {@code version}, and whose site jar is {@code jar}. */
    static Path variant(Path archive, Path target, String version, Path jar) throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive)));
                TarArchiveOutputStream out = new TarArchiveOutputStream(storedGzip(Files.newOutputStream(target)))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().endsWith("/release.properties")) {
                    copy(out, entry, ("version=" + version + "\n").getBytes(StandardCharsets.UTF_8));
                } else if (jar != null && entry.getName().endsWith("/athanor.jar")) {
                    copy(out, entry, Files.readAllBytes(jar));
                } else {
                    out.putArchiveEntry(entry);
                    in.transferTo(out);
                    out.closeArchiveEntry();
                }
            }
        }
        return target;
    }

    /**
     * gzip without compression (stored blocks), still the gzip ops deploy reads: the archive is mostly jars, compressed
     * already, and deflating its 166 MB again took 6 s a copy to save nothing (1 s stored).
     */
    private static GZIPOutputStream storedGzip(OutputStream out) throws IOException {
        return new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.NO_COMPRESSION);
            }
        };
    }

    private static void copy(TarArchiveOutputStream out, TarArchiveEntry original, byte[] content)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(original.getName());
        entry.setMode(original.getMode());
        entry.setSize(content.length);
        out.putArchiveEntry(entry);
        out.write(content);
        out.closeArchiveEntry();
    }

    /** The archive's site jar with one more migration in it. */
    static Path jarWithMigration(Path archive, Path target, String fileName, String sql) throws IOException {
        return jarWithMigrations(archive, target, java.util.Map.of(fileName, sql));
    }

    /**
     * The archive's site jar with more migrations in it, by file name. Its own entries are copied as they are
     * compressed: inflating and deflating the 90 MB jar again took half a minute of each deploy test run.
     */
    static Path jarWithMigrations(Path archive, Path target, java.util.Map<String, String> migrations)
            throws IOException {
        Path original = extract(archive, "athanor.jar", target.resolveSibling(target.getFileName() + ".orig"));
        try (ZipFile zip = ZipFile.builder().setPath(original).get();
                ZipArchiveOutputStream out = new ZipArchiveOutputStream(target)) {
            zip.copyRawEntries(out, entry -> true);
            for (java.util.Map.Entry<String, String> migration : migrations.entrySet()) {
                out.putArchiveEntry(new ZipArchiveEntry("db/migration/" + migration.getKey()));
                out.write(migration.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        Files.delete(original);
        return target;
    }

    /** A site jar whose program only sleeps: it never opens a port, so it is never ready. */
    static Path hangingJar(Path directory) throws IOException {
        Path source = directory.resolve("Hang.java");
        Files.writeString(source, "public class Hang { public static void main(String[] a) throws Exception {"
                + " System.out.println(\"starting, slowly\"); Thread.sleep(Long.MAX_VALUE); } }");
        if (ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", directory.toString(),
                source.toString()) != 0) {
            throw new IllegalStateException("cannot compile Hang.java");
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Hang");
        Path jar = directory.resolve("hang.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new ZipEntry("Hang.class"));
            Files.copy(directory.resolve("Hang.class"), out);
            out.closeEntry();
        }
        return jar;
    }

    private static Path extract(Path archive, String name, Path target) throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive)))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().endsWith("/" + name)) {
                    try (OutputStream out = Files.newOutputStream(target)) {
                        in.transferTo(out);
                    }
                    return target;
                }
            }
        }
        throw new IllegalStateException(archive + " has no " + name);
    }
}
