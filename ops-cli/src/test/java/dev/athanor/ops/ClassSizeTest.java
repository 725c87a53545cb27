package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No class of {@code ops} grows past 300 lines of code (comments and blank lines aside): one that does is asking to be
 * split, as STYLE.md says.
 */
class ClassSizeTest {

    private static final int LIMIT = 300;
    private static final Path SOURCES = Path.of("src", "main", "java");

    @Test
    void everyMainClassStaysUnderTheLimit() throws IOException {
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            tooLong = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> linesOfCode(file) > LIMIT)
                    .map(file -> SOURCES.relativize(file) + ": " + linesOfCode(file) + " lines of code")
                    .toList();
        }

        assertThat(tooLong).as("classes over %d lines of code", LIMIT).isEmpty();
    }

    @Test
    void countsCodeNotCommentsOrBlankLines() {
        String source = """
                /**
                 * A comment.
                 */
                class A {

                    // a remark
                    int a; /* inline */
                }
                """;

        assertThat(linesOfCode(source)).isEqualTo(3);
    }

    private static long linesOfCode(Path file) {
        try {
            return linesOfCode(Files.readString(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long linesOfCode(String source) {
        String withoutBlockComments = source.replaceAll("(?s)/\\*.*?\\*/", "");
        return withoutBlockComments.lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("//")).count();
    }
}
