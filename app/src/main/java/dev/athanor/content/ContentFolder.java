package dev.athanor.content;

import dev.athanor.content.ContentSnapshot.ArticleSource;
import dev.athanor.content.ContentSnapshot.CourseSource;
import dev.athanor.content.ContentSnapshot.LessonSource;
import dev.athanor.content.ContentSnapshot.TagSource;
import dev.athanor.media.Media;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a content folder, the creator's authoring format, into a {@link ContentSnapshot}:
 *
 * <pre>
 * courses/SOME-COURSE/course.md      front matter: title, slug, summary, cover, published, lessons (their order)
 * courses/SOME-COURSE/LESSON.md      front matter: title, slug, video, duration, captions, free, published
 * articles/ARTICLE.md                front matter: title, slug, summary, tags, published
 * </pre>
 *
 * <p>Every problem is reported with the file (relative to the folder) and the line; the first one stops the read.
 */
final class ContentFolder {

    private static final Set<String> COURSE_KEYS = Set.of("title", "slug", "old_slugs", "summary", "cover",
            "published", "position", "lessons");
    private static final Set<String> LESSON_KEYS = Set.of("title", "slug", "old_slugs", "video", "duration",
            "captions", "free", "published");
    private static final Set<String> ARTICLE_KEYS = Set.of("title", "slug", "old_slugs", "summary", "tags",
            "published");

    private final Path root;
    private final CaptionFiles captionFiles;
    /** The line of each file's {@code slug:}, by the file's relative path, so a duplicate can be named at it. */
    private final Map<Path, Integer> slugLines = new HashMap<>();

    private ContentFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.captionFiles = new CaptionFiles(this.root, this::relative);
    }

    static ContentSnapshot read(Path root) throws ContentImportException {
        return new ContentFolder(root).read();
    }

    private ContentSnapshot read() throws ContentImportException {
        if (!Files.isDirectory(root)) {
            throw new ContentImportException(root, 0, "not a directory");
        }
        Path courses = root.resolve("courses");
        Path articles = root.resolve("articles");
        if (!Files.isDirectory(courses) && !Files.isDirectory(articles)) {
            throw new ContentImportException(root, 0, "no courses/ or articles/ folder: is this a content folder?");
        }
        List<CourseSource> courseList = new ArrayList<>();
        for (Path directory : list(courses, Files::isDirectory)) {
            courseList.add(course(directory));
        }
        List<ArticleSource> articleList = new ArrayList<>();
        for (Path file : list(articles, ContentFolder::isMarkdown)) {
            articleList.add(article(file));
        }
        uniqueSlugs(courseList.stream().map(c -> new Named(c.slug(), c.file())).toList(), "course");
        uniqueSlugs(articleList.stream().map(a -> new Named(a.slug(), a.file())).toList(), "article");
        return new ContentSnapshot(courseList, articleList);
    }

    private CourseSource course(Path directory) throws ContentImportException {
        Path file = directory.resolve("course.md");
        if (!Files.isRegularFile(file)) {
            throw new ContentImportException(relative(directory), 0, "course folder without a course.md");
        }
        FrontMatter front = frontMatter(file, COURSE_KEYS);
        Map<String, LessonSource> lessonsBySlug = new LinkedHashMap<>();
        Map<String, Path> lessonFiles = new HashMap<>();
        for (Path lessonFile : list(directory, path -> isMarkdown(path) && !path.getFileName().toString()
                .equals("course.md"))) {
            LessonSource lesson = lesson(lessonFile);
            if (lessonsBySlug.containsKey(lesson.slug())) {
                throw new ContentImportException(relative(lessonFile), slugLines.get(relative(lessonFile)),
                        "duplicate lesson slug '" + lesson.slug() + "' (also in "
                        + relative(lessonFiles.get(lesson.slug())) + ")");
            }
            lessonsBySlug.put(lesson.slug(), lesson);
            lessonFiles.put(lesson.slug(), lessonFile);
        }
        List<LessonSource> ordered = new ArrayList<>();
        for (FrontMatter.Item item : front.list("lessons")) {
            LessonSource lesson = lessonsBySlug.remove(item.value());
            if (lesson == null) {
                throw new ContentImportException(relative(file), item.line(), ordered.stream()
                        .anyMatch(l -> l.slug().equals(item.value()))
                        ? "lesson '" + item.value() + "' is listed twice"
                        : "unknown lesson '" + item.value() + "': no lesson file in " + relative(directory)
                                + " has that slug");
            }
            ordered.add(lesson);
        }
        if (!lessonsBySlug.isEmpty()) {
            LessonSource unlisted = lessonsBySlug.values().iterator().next();
            throw new ContentImportException(relative(file), front.line("lessons"), "lesson '" + unlisted.slug()
                    + "' (" + relative(unlisted.file()) + ") is missing from the lessons list");
        }
        int position = 0;
        Optional<String> positionText = front.optionalText("position");
        if (positionText.isPresent()) {
            try {
                position = Integer.parseInt(positionText.get());
            } catch (NumberFormatException e) {
                throw new ContentImportException(relative(file), front.line("position"),
                        "'position' must be a whole number");
            }
        }
        Optional<Path> cover = optionalFile(file, front, "cover");
        if (cover.isPresent() && !Media.isImage(cover.get())) {
            throw new ContentImportException(relative(file), front.line("cover"), "'cover' must be a .png, .jpg,"
                    + " .webp, .gif or .svg file: " + relative(cover.get()));
        }
        return new CourseSource(relative(file), slug(file, front), oldSlugs(file, front),
                front.requiredText("title"), front.optionalText("summary").orElse(""), front.body().strip(), cover,
                published(front), position, ordered);
    }

    private LessonSource lesson(Path file) throws ContentImportException {
        FrontMatter front = frontMatter(file, LESSON_KEYS);
        Optional<Path> video = optionalFile(file, front, "video");
        OptionalInt duration = OptionalInt.empty();
        if (front.has("duration")) {
            duration = OptionalInt.of(duration(file, front));
        }
        if (video.isPresent()) {
            if (!Media.isVideo(video.get())) {
                throw new ContentImportException(relative(file), front.line("video"), "'video' must be an .mp4,"
                        + " .m4v, .webm or .mov file: " + relative(video.get()));
            }
            if (duration.isEmpty()) {
                duration = probe(video.get());
                if (duration.isEmpty()) {
                    throw new ContentImportException(relative(file), front.line("video"), "cannot read the"
                            + " duration of " + relative(video.get()) + "; add 'duration: M:SS'");
                }
            }
        }
        return new LessonSource(relative(file), slug(file, front), oldSlugs(file, front), front.requiredText("title"),
                front.body().strip(), video, duration, front.flag("free", false), front.flag("published", true),
                captionFiles.read(file, front, video, duration));
    }

    private OptionalInt probe(Path video) throws ContentImportException {
        try {
            return Media.videoDuration(video);
        } catch (IOException e) {
            throw new ContentImportException(relative(video), 0, "cannot be read: " + e.getMessage());
        }
    }

    private ArticleSource article(Path file) throws ContentImportException {
        FrontMatter front = frontMatter(file, ARTICLE_KEYS);
        List<TagSource> tags = new ArrayList<>();
        for (FrontMatter.Item item : front.list("tags")) {
            String slug = Slugs.of(item.value());
            if (slug.isEmpty()) {
                throw new ContentImportException(relative(file), item.line(), "tag '" + item.value()
                        + "' has no letters or digits");
            }
            if (tags.stream().noneMatch(tag -> tag.slug().equals(slug))) {
                tags.add(new TagSource(slug, item.value()));
            }
        }
        return new ArticleSource(relative(file), slug(file, front), oldSlugs(file, front),
                front.requiredText("title"), front.optionalText("summary").orElse(""), front.body().strip(), tags,
                published(front));
    }

    private FrontMatter frontMatter(Path file, Set<String> keys) throws ContentImportException {
        try {
            return FrontMatter.parse(relative(file), Files.readString(file, StandardCharsets.UTF_8), keys);
        } catch (CharacterCodingException e) {
            throw new ContentImportException(relative(file), 0, "not UTF-8 text");
        } catch (IOException e) {
            throw new ContentImportException(relative(file), 0, "cannot be read: " + e.getMessage());
        }
    }

    private String slug(Path file, FrontMatter front) throws ContentImportException {
        String slug = front.requiredText("slug");
        if (!Slugs.isValid(slug)) {
            throw new ContentImportException(relative(file), front.line("slug"), "slug '" + slug
                    + "' must be lower-case letters, digits and single hyphens, at most " + Slugs.MAX_LENGTH
                    + " characters");
        }
        slugLines.put(relative(file), front.line("slug"));
        return slug;
    }

    private List<String> oldSlugs(Path file, FrontMatter front) throws ContentImportException {
        List<String> slugs = new ArrayList<>();
        for (FrontMatter.Item item : front.list("old_slugs")) {
            if (!Slugs.isValid(item.value())) {
                throw new ContentImportException(relative(file), item.line(), "old slug '" + item.value()
                        + "' is not a valid slug");
            }
            slugs.add(item.value());
        }
        return slugs;
    }

    /** {@code published: 2026-11-01} publishes on that day; {@code published: false} or nothing is a draft. */
    private Optional<LocalDate> published(FrontMatter front) throws ContentImportException {
        Optional<String> text = front.optionalText("published");
        if (text.isEmpty() || text.get().equals("false") || text.get().equals("no")) {
            return Optional.empty();
        }
        return front.date("published");
    }

    /** A file named relative to {@code file}'s folder that must exist inside the content folder. */
    private Optional<Path> optionalFile(Path file, FrontMatter front, String key) throws ContentImportException {
        Optional<String> name = front.optionalText(key);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Path target = file.getParent().resolve(name.get()).normalize();
        if (!target.startsWith(root)) {
            throw new ContentImportException(relative(file), front.line(key), "'" + key + "' points outside the"
                    + " content folder: " + name.get());
        }
        if (!Files.isRegularFile(target)) {
            throw new ContentImportException(relative(file), front.line(key), "'" + key + "' names a file that does"
                    + " not exist: " + relative(target));
        }
        return Optional.of(target);
    }

    /** {@code 754} seconds, {@code 12:34} or {@code 1:02:03}. */
    private int duration(Path file, FrontMatter front) throws ContentImportException {
        String text = front.requiredText("duration");
        if (!text.matches("\\d+(:\\d{1,2}){0,2}")) {
            throw new ContentImportException(relative(file), front.line("duration"), "duration must be seconds or"
                    + " M:SS or H:MM:SS, not '" + text + "'");
        }
        int seconds = 0;
        for (String part : text.split(":")) {
            seconds = seconds * 60 + Integer.parseInt(part);
        }
        return seconds;
    }

    private void uniqueSlugs(List<Named> items, String kind) throws ContentImportException {
        Map<String, Path> seen = new HashMap<>();
        for (Named item : items) {
            Path earlier = seen.putIfAbsent(item.slug(), item.file());
            if (earlier != null) {
                throw new ContentImportException(item.file(), slugLines.getOrDefault(item.file(), 0), "duplicate "
                        + kind + " slug '" + item.slug()
                        + "' (also in " + earlier + ")");
            }
        }
    }

    private Path relative(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute) : absolute;
    }

    private static List<Path> list(Path directory, java.util.function.Predicate<Path> filter)
            throws ContentImportException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(path -> !path.getFileName().toString().startsWith("."))
                    .filter(filter).sorted().toList();
        } catch (IOException e) {
            throw new ContentImportException(directory, 0, "cannot be listed: " + e.getMessage());
        }
    }

    private static boolean isMarkdown(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".md");
    }

    private record Named(String slug, Path file) {
    }
}
