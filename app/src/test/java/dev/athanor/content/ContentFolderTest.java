package dev.athanor.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.ContentFolderBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The authoring format is read strictly, and every mistake names its file and line. */
class ContentFolderTest {

    @TempDir
    Path temp;

    @Test
    void readsTheDemoContent() throws Exception {
        ContentSnapshot snapshot = ContentFolder.read(Path.of("..", "content", "demo"));

        assertThat(snapshot.courses()).singleElement().satisfies(course -> {
            assertThat(course.slug()).isEqualTo("java-from-scratch");
            assertThat(course.lessons()).extracting(ContentSnapshot.LessonSource::slug)
                    .containsExactly("hello-world", "variables-and-types", "making-decisions", "loops");
            assertThat(course.lessons().get(0).durationSeconds()).hasValue(12);
            assertThat(course.lessons().get(0).freePreview()).isTrue();
            assertThat(course.lessons().get(2).freePreview()).isFalse();
        });
        assertThat(snapshot.articles()).hasSize(3);
    }

    @Test
    void badYamlNamesFileAndLine() {
        ContentFolderBuilder folder = ContentFolderBuilder.in(temp).course("intro", "Intro", "2026-01-01", "one")
                .lesson("intro", "one", "title: One\nslug: one\nfree: [unclosed\n", "Notes");

        assertThatThrownBy(() -> ContentFolder.read(folder.root()))
                .isInstanceOf(ContentImportException.class)
                .hasMessageStartingWith("courses/intro/one.md:")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void anUnknownKeyIsNamedWithItsLine() {
        ContentFolderBuilder folder = ContentFolderBuilder.in(temp).course("intro", "Intro", "2026-01-01", "one")
                .lesson("intro", "one", "title: One\nslug: one\ntitel: typo\n", "Notes");

        assertThatThrownBy(() -> ContentFolder.read(folder.root()))
                .hasMessageStartingWith("courses/intro/one.md:4: unknown key 'titel'");
    }

    @Test
    void aLessonTheCourseDoesNotHaveIsNamedAtItsLine() {
        ContentFolderBuilder folder = ContentFolderBuilder.in(temp).course("intro", "Intro", "2026-01-01", "one",
                "two").lesson("intro", "one", "title: One\nslug: one\n", "Notes");

        assertThatThrownBy(() -> ContentFolder.read(folder.root()))
                .hasMessage("courses/intro/course.md:8: unknown lesson 'two': no lesson file in courses/intro has"
                        + " that slug");
    }

    @Test
    void aDuplicateArticleSlugIsNamedAtTheSecondFilesSlugLine() {
        ContentFolderBuilder folder = ContentFolderBuilder.in(temp)
                .article("first.md", "title: First\nslug: same\npublished: 2026-01-01\n", "Body")
                .article("second.md", "title: Second\npublished: 2026-01-02\nslug: same\n", "Body");

        assertThatThrownBy(() -> ContentFolder.read(folder.root()))
                .isInstanceOf(ContentImportException.class)
                .hasMessage("articles/second.md:4: duplicate article slug 'same' (also in articles/first.md)")
                .satisfies(e -> assertThat(((ContentImportException) e).line()).isEqualTo(4));
    }

    @Test
    void aDuplicateCourseSlugIsNamedAtTheSecondFilesSlugLine() {
        ContentFolderBuilder folder = ContentFolderBuilder.in(temp)
                .raw("courses/a/course.md", "---\ntitle: A\nslug: same\nlessons: []\n---\nA.\n")
                .raw("courses/b/course.md", "---\ntitle: B\nsummary: Another\nslug: same\nlessons: []\n---\nB.\n");

        assertThatThrownBy(() -> ContentFolder.read(folder.root()))
                .hasMessage("courses/b/course.md:4: duplicate course slug 'same' (also in courses/a/course.md)");
    }

    @Test
    void aDuplicateLessonSlugIsNamedAtTheSecondFilesSlugLine() {
        ContentFolderBuilder folder = ContentFolderBuilder.in(temp).course("intro", "Intro", "2026-01-01", "one")
                .lesson("intro", "1", "title: One\nslug: one\n", "Notes")
                .lesson("intro", "2", "title: Also One\nfree: true\nslug: one\n", "Notes");

        assertThatThrownBy(() -> ContentFolder.read(folder.root()))
                .hasMessage("courses/intro/2.md:4: duplicate lesson slug 'one' (also in courses/intro/1.md)");
    }

    @Test
    void aVideoOutsideTheFolderIsRefused() {
        ContentFolderBuilder folder = ContentFolderBuilder.in(temp).course("intro", "Intro", "2026-01-01", "one")
                .lesson("intro", "one", "title: One\nslug: one\nvideo: ../../../../etc/passwd\n", "Notes");

        assertThatThrownBy(() -> ContentFolder.read(folder.root()))
                .hasMessage("courses/intro/one.md:4: 'video' points outside the content folder:"
                        + " ../../../../etc/passwd");
    }

    @Test
    void aBadSlugOrDateIsExplained() {
        assertThatThrownBy(() -> ContentFolder.read(ContentFolderBuilder.in(temp.resolve("a"))
                .article("a.md", "title: A\nslug: Not A Slug\n", "x").root()))
                .hasMessageContaining("articles/a.md:3: slug 'Not A Slug' must be lower-case letters");
        assertThatThrownBy(() -> ContentFolder.read(ContentFolderBuilder.in(temp.resolve("b"))
                .article("b.md", "title: B\nslug: b\npublished: yesterday\n", "x").root()))
                .hasMessageContaining("articles/b.md:4: 'published' must be a date such as 2026-11-26");
    }

    @Test
    void aFileWithoutFrontMatterIsExplained() {
        assertThatThrownBy(() -> ContentFolder.read(ContentFolderBuilder.in(temp)
                .raw("articles/plain.md", "# Just markdown\n").root()))
                .hasMessage("articles/plain.md:1: front matter missing: the file must start with a line '---'");
    }
}
