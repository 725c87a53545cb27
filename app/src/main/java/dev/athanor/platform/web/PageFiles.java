package dev.athanor.platform.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page cache's HTML pages as files, for nginx to serve to anonymous visitors without asking the site
 * ({@code site.pageFiles}): {@code /courses/intro} is {@code courses/intro.html} with {@code .html.gz} and, once made,
 * {@code .html.br} beside it, and {@code /} by the same rule is {@code .html}, a name no other address reaches (as
 * {@code index.html}, nginx sent the home page for {@code /index} too); each file's time is the page's Last-Modified.
 *
 * <p>A file exists only while the {@link PageCache} holds its page and the page is within its lifetime (or the
 * database is unreachable): the cache queues each write and delete under the entry's own lock, in order. The
 * folder is emptied when the site starts and when it stops, since no other instance keeps its files true. Only pages
 * whose address nginx cannot read differently are written: a path of lowercase slugs, no query, an HTML page.
 *
 * <p>Each file is written to a temporary name and moved into place, so nginx never reads half a page; the compressed
 * copies go in before the plain one (nginx looks for them beside it) and go out after it. A failure to write (a full
 * disk) leaves no file for that page, is logged, and changes nothing else: the site still answers from memory.
 */
final class PageFiles {

    private static final Logger LOG = LoggerFactory.getLogger(PageFiles.class);
    private static final Pattern WRITABLE = Pattern.compile("/|(/[a-z0-9]+(-[a-z0-9]+)*)+");
    private static final String TEMPORARY = ".tmp-";
    /** The names this class writes: a page, its copies, and their temporary names. */
    private static final Pattern OURS = Pattern.compile(".*\\.html(\\.gz|\\.br)?(\\.tmp-\\d+)?");

    private final Path folder;

    PageFiles(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** Writes {@code page}'s files for cache key {@code key}, when nginx may serve it; replaces any older ones. */
    void write(String key, CachedPage page) {
        Path plain = plainFile(key, page);
        if (plain == null) {
            return;
        }
        try {
            Files.createDirectories(plain.getParent());
            Files.deleteIfExists(sibling(plain, ".br")); // an older page's copy must not outlive it
            put(sibling(plain, ".gz"), page.bytes(CachedPage.Coding.GZIP), page);
            if (page.bytes(CachedPage.Coding.BROTLI) != null) {
                put(sibling(plain, ".br"), page.bytes(CachedPage.Coding.BROTLI), page);
            }
            put(plain, page.bytes(CachedPage.Coding.IDENTITY), page);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not write {} for nginx ({}); the site answers it from memory", plain, e.toString());
            remove(key);
        }
    }

    /** Writes {@code page}'s copy in {@code coding} (Brotli, or gzip's best), once {@link #write} wrote the page. */
    void writeCopy(String key, CachedPage page, CachedPage.Coding coding) {
        Path plain = plainFile(key, page);
        if (plain == null || !Files.exists(plain)) {
            return;
        }
        Path copy = sibling(plain, coding == CachedPage.Coding.BROTLI ? ".br" : ".gz");
        try {
            put(copy, page.bytes(coding), page);
        } catch (IOException e) {
            LOG.warn("Could not write {} for nginx ({})", copy, e.toString());
        }
    }

    /** Deletes the files of cache key {@code key}, if there are any. */
    void remove(String key) {
        Path plain = file(key);
        if (plain == null) {
            return;
        }
        try {
            Files.deleteIfExists(plain);
            Files.deleteIfExists(sibling(plain, ".gz"));
            Files.deleteIfExists(sibling(plain, ".br"));
        } catch (IOException e) {
            // nginx would go on serving the page: say so loudly; the next start empties the folder.
            LOG.error("Could not delete {}, which nginx may go on serving: {}", plain, e.toString());
        }
    }

    /**
     * Deletes every page file in the folder (creating it when missing), and the folders they leave empty. Nothing
     * else is touched, so a folder set by mistake to one that holds other files loses none of them.
     */
    void clear() {
        try {
            Files.createDirectories(folder);
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    if (OURS.matcher(file.getFileName().toString()).matches()) {
                        Files.delete(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    if (!directory.equals(folder)) {
                        try {
                            Files.delete(directory);
                        } catch (DirectoryNotEmptyException others) {
                            // holds what is not ours
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Could not empty the page files folder " + folder, e);
        }
    }

    /** The plain file of {@code key} when {@code page} may be written there; null when nginx must ask the site. */
    private Path plainFile(String key, CachedPage page) {
        return page.contentType().startsWith("text/html") ? file(key) : null;
    }

    private Path file(String key) {
        if (!WRITABLE.matcher(key).matches()) {
            return null;
        }
        return folder.resolve(key.substring(1) + ".html");
    }

    private static Path sibling(Path plain, String suffix) {
        return plain.resolveSibling(plain.getFileName() + suffix);
    }

    private static void put(Path target, byte[] bytes, CachedPage page) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + TEMPORARY + Thread.currentThread().getId());
        try {
            Files.write(temporary, bytes);
            Files.setLastModifiedTime(temporary, FileTime.fromMillis(page.lastModifiedMillis()));
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
