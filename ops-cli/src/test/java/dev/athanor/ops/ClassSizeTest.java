package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main class of any module grows past 300 lines of code (comments and blank lines aside): one that does is asking
 * to be split, as STYLE.md says. It runs in ops-cli, the last module built, and reads every module's sources.
 */
class ClassSizeTest {

    private static final int LIMIT = 300;
    private static final Path REPOSITORY = Path.of("..");

    @Test
    void everyMainClassStaysUnderTheLimit() throws IOException {
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(REPOSITORY)) {
            tooLong = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> file.toString().contains("/src/main/java/"))
                    .filter(file -> linesOfCode(file) > LIMIT)
                    .map(file -> REPOSITORY.relativize(file) + ": " + linesOfCode(file) + " lines of code")
                    .toList();
        }

        assertThat(tooLong).as("classes over %d lines of code", LIMIT).isEmpty();
        assertThat(REPOSITORY.resolve("app/src/main/java/dev/athanor/AthanorApplication.java")).as("app is read")
                .exists();
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
