package dev.athanor.admin;

import dev.athanor.common.Sizes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks an uploaded zip of a content folder, refusing entries that would land outside the target (zip slip) and
 * archives that unpack to more than a limit (zip bombs). A single top folder in the zip is looked through, so both
 * "zip the folder" and "zip its contents" work.
 */
final class ZipFolder {

    private static final int MAX_ENTRIES = 20_000;

    private ZipFolder() {
    }

    /** Unpacks {@code zip} into {@code target} and returns the content folder inside it. */
    static Path extract(InputStream zip, Path target, long maxBytes) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        long total = 0;
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(zip)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw new IOException("the zip has more than " + MAX_ENTRIES + " entries");
                }
                Path destination = root.resolve(entry.getName()).normalize();
                if (!destination.startsWith(root) || destination.equals(root)) {
                    throw new IOException("the zip entry " + entry.getName() + " points outside the folder");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                Files.createDirectories(destination.getParent());
                try (OutputStream out = Files.newOutputStream(destination)) {
                    byte[] buffer = new byte[64 * 1024];
                    int read;
                    while ((read = in.read(buffer)) > 0) {
                        total += read;
                        if (total > maxBytes) {
                            throw new IOException("the zip unpacks to more than " + Sizes.human(maxBytes));
                        }
                        out.write(buffer, 0, read);
                    }
                }
            }
        }
        if (entries == 0) {
            throw new IOException("the upload is not a zip file, or an empty one");
        }
        return contentFolder(root);
    }

    private static Path contentFolder(Path root) throws IOException {
        if (Files.isDirectory(root.resolve("courses")) || Files.isDirectory(root.resolve("articles"))) {
            return root;
        }
        try (var children = Files.list(root)) {
            var directories = children.filter(Files::isDirectory).toList();
            if (directories.size() == 1) {
                return directories.get(0);
            }
        }
        return root;
    }
}
