package dev.athanor.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo content shipped in the jar (the repository's {@code content/demo}, also the documented example of the
 * authoring format), imported into an empty embedded database so a newcomer's first page shows real courses.
 */
final class DemoContent {

    private static final Logger LOGGER = LoggerFactory.getLogger(DemoContent.class);
    private static final String RESOURCE = "demo-content";

    private DemoContent() {
    }

    /** Imports the demo content if {@code content} has never had any; returns what was imported, if anything. */
    static java.util.Optional<ImportReport> loadIfEmpty(Content content) {
        if (!content.isEmpty()) {
            return java.util.Optional.empty();
        }
        Path folder = null;
        try {
            folder = unpack();
            ImportReport report = content.importFolder(folder, false);
            LOGGER.info("Imported the demo content: {}", report.summary());
            return java.util.Optional.of(report);
        } catch (ContentImportException e) {
            throw new IllegalStateException("the bundled demo content does not import: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack the demo content", e);
        } finally {
            if (folder != null) {
                delete(folder);
            }
        }
    }

    /** Copies the demo content from the class path (a directory, or entries of the jar) into a temporary folder. */
    static Path unpack() throws IOException {
        URL url = DemoContent.class.getClassLoader().getResource(RESOURCE);
        if (url == null) {
            throw new IOException("no " + RESOURCE + " on the class path");
        }
        Path target = Files.createTempDirectory("athanor-demo-");
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    copyTree(jar.getPath(RESOURCE), target);
                }
            } else {
                copyTree(Path.of(uri), target);
            }
        } catch (URISyntaxException e) {
            throw new IOException("bad class path location " + url, e);
        }
        return target;
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    try (InputStream in = Files.newInputStream(path)) {
                        Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOGGER.debug("Could not remove {}", folder, e);
        }
    }
}
