package dev.athanor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes content folders in the authoring format for tests, file by file. */
public final class ContentFolderBuilder {

    /** The demo video: a real MP4 of 12 seconds. */
    public static final Path DEMO_VIDEO = Path.of("..", "content", "demo", "media", "hello-java.mp4")
            .toAbsolutePath().normalize();

    private final Path root;

    private ContentFolderBuilder(Path root) {
        this.root = root;
    }

    public static ContentFolderBuilder in(Path root) {
        return new ContentFolderBuilder(root);
    }

    public Path root() {
        return root;
    }

    /** A course.md listing {@code lessons} in order; {@code published} may be null for a draft. */
    public ContentFolderBuilder course(String slug, String title, String published, String... lessons) {
        StringBuilder front = new StringBuilder("title: " + title + "\nslug: " + slug + "\nsummary: About "
                + title + "\n");
        if (published != null) {
            front.append("published: ").append(published).append('\n');
        }
        front.append("lessons:\n");
        for (String lesson : lessons) {
            front.append("  - ").append(lesson).append('\n');
        }
        return raw("courses/" + slug + "/course.md", "---\n" + front + "---\nThe course " + title + ".\n");
    }

    /** A lesson file {@code courses/COURSE/FILE.md} with the given front matter lines and notes. */
    public ContentFolderBuilder lesson(String course, String file, String frontMatter, String notes) {
        return raw("courses/" + course + "/" + file + ".md", "---\n" + frontMatter + "---\n" + notes + "\n");
    }

    public ContentFolderBuilder article(String file, String frontMatter, String body) {
        return raw("articles/" + file, "---\n" + frontMatter + "---\n" + body + "\n");
    }

    /** Copies the demo video to {@code relative}. */
    public ContentFolderBuilder video(String relative) {
        try {
            Path target = root.resolve(relative);
            Files.createDirectories(target.getParent());
            Files.copy(DEMO_VIDEO, target, StandardCopyOption.REPLACE_EXISTING);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ContentFolderBuilder raw(String relative, String text) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ContentFolderBuilder delete(String relative) {
        try {
            Files.delete(root.resolve(relative));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Path> files() {
        try (var paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
