package dev.athanor.monitoring.logs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One log: the file being written and its rotated predecessors beside it, oldest first. Two ways of rotating are
 * understood: Logback's ({@code app.log} with {@code app-2026-11-25-0.log.gz}, {@code app-2026-11-25-1.log.gz}: by
 * date, then index) and logrotate's ({@code access.log} with {@code access.log.1}, {@code access.log.2.gz}: higher
 * numbers are older; or {@code access.log-20261125.gz} with {@code dateext}). Archives may be gzipped or not.
 *
 * @param name what the operator calls it ({@code app}, {@code requests}, {@code nginx})
 * @param current the file being written now
 */
public record LogSet(String name, Path current, LogFormat format) {

    /** Every file of this log that exists, oldest first, the current file last. */
    public List<Path> files() throws IOException {
        Path directory = current.toAbsolutePath().getParent();
        String fileName = current.getFileName().toString();
        String stem = fileName.endsWith(".log") ? fileName.substring(0, fileName.length() - 4) : fileName;
        Pattern logback = Pattern.compile(Pattern.quote(stem) + "-(\\d{4}-\\d{2}-\\d{2})-(\\d+)\\.log(\\.gz)?");
        Pattern numbered = Pattern.compile(Pattern.quote(fileName) + "\\.(\\d+)(\\.gz)?");
        Pattern dated = Pattern.compile(Pattern.quote(fileName) + "-(\\d{8})(\\.gz)?");
        record Archive(Path path, String key) {
        }
        List<Archive> archives = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, Files::isRegularFile)) {
                for (Path entry : entries) {
                    String entryName = entry.getFileName().toString();
                    Matcher match;
                    if ((match = logback.matcher(entryName)).matches()) {
                        archives.add(new Archive(entry, match.group(1) + String.format("%09d", Long.parseLong(
                                match.group(2)))));
                    } else if ((match = numbered.matcher(entryName)).matches()) {
                        // .1 is the newest: order by the number's complement
                        archives.add(new Archive(entry, String.format("%09d", 999_999_999L - Long.parseLong(
                                match.group(1)))));
                    } else if ((match = dated.matcher(entryName)).matches()) {
                        archives.add(new Archive(entry, match.group(1)));
                    }
                }
            }
        }
        archives.sort(Comparator.comparing(Archive::key));
        List<Path> files = new ArrayList<>(archives.stream().map(Archive::path).toList());
        if (Files.isRegularFile(current)) {
            files.add(current);
        }
        return files;
    }

    /** Whether {@code file} is gzipped (by its name). */
    static boolean gzipped(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }
}
