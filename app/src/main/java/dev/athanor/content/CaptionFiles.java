package dev.athanor.content;

import dev.athanor.content.ContentSnapshot.CaptionSource;
import dev.athanor.platform.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The caption files a lesson names beside its video, one per language:
 *
 * <pre>
 * captions:
 *   en: ../../media/hello-java.en.vtt
 *   pt-BR:
 *     file: ../../media/hello-java.pt-BR.vtt
 *     label: Português (Brasil)
 * </pre>
 *
 * Each name is a BCP 47 language tag (the track's {@code srclang}); the label the player's menu shows defaults to the
 * language's own name for itself. Each file is read strictly ({@link WebVtt}) and must fit the video: a cue that starts
 * after the video ends is refused. Problems name the lesson file's line, or the caption file's.
 */
final class CaptionFiles {

    /** A caption file of a long lesson is tens of kilobytes; anything near this is not captions. */
    static final int MAX_BYTES = 1024 * 1024;
    private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());

    private final Path root;
    private final UnaryOperator<Path> relative;

    /** @param relative names a path relative to the content folder {@code root}, for messages */
    CaptionFiles(Path root, UnaryOperator<Path> relative) {
        this.root = root;
        this.relative = relative;
    }

    /** The captions {@code front} (of the lesson {@code file}) names, in its order; none when it names none. */
    List<CaptionSource> read(Path file, FrontMatter front, Optional<Path> video, OptionalInt durationSeconds)
            throws ContentImportException {
        List<FrontMatter.Entry> entries = front.mapping("captions", "file", Set.of("file", "label"));
        if (!entries.isEmpty() && video.isEmpty()) {
            throw new ContentImportException(relative.apply(file), front.keyLine("captions"), "'captions' needs a"
                    + " 'video' to caption");
        }
        List<CaptionSource> captions = new ArrayList<>();
        for (FrontMatter.Entry entry : entries) {
            Locale language = language(file, entry);
            String tag = language.toLanguageTag();
            if (captions.stream().anyMatch(caption -> caption.language().equals(tag))) {
                throw new ContentImportException(relative.apply(file), entry.line(), "captions for '" + tag
                        + "' are named twice");
            }
            FrontMatter.Item named = entry.fields().get("file");
            if (named == null) {
                throw new ContentImportException(relative.apply(file), entry.line(), "'captions." + entry.name()
                        + "' needs a 'file'");
            }
            Path target = file.getParent().resolve(named.value()).normalize();
            if (!target.startsWith(root)) {
                throw new ContentImportException(relative.apply(file), named.line(), "caption file points outside"
                        + " the content folder: " + named.value());
            }
            if (!Files.isRegularFile(target)) {
                throw new ContentImportException(relative.apply(file), named.line(), "caption file does not exist: "
                        + relative.apply(target));
            }
            if (!target.getFileName().toString().endsWith(".vtt")) {
                throw new ContentImportException(relative.apply(file), named.line(), "a caption file must be WebVTT"
                        + " (.vtt): " + relative.apply(target));
            }
            WebVtt.Track track = WebVtt.read(relative.apply(target), text(target));
            check(target, track, language, durationSeconds.orElse(Integer.MAX_VALUE / 1000 - 1));
            String label = Optional.ofNullable(entry.fields().get("label")).map(FrontMatter.Item::value)
                    .orElseGet(() -> ownName(language));
            captions.add(new CaptionSource(tag, label, relative.apply(target), track.text(),
                    Sha256.hex(track.text()), track.cues()));
        }
        return captions;
    }

    /** The entry's name as a language tag Java knows (en, pt-BR, fil), or the problem at its line. */
    private Locale language(Path file, FrontMatter.Entry entry) throws ContentImportException {
        try {
            Locale locale = new Locale.Builder().setLanguageTag(entry.name()).build();
            String code = locale.getLanguage();
            boolean known = code.length() == 2 ? LANGUAGES.contains(code)
                    : code.length() == 3 && !locale.getDisplayLanguage(Locale.ENGLISH).equals(code);
            if (known) {
                return locale;
            }
        } catch (IllformedLocaleException e) {
            // answered below
        }
        throw new ContentImportException(relative.apply(file), entry.line(), "'" + entry.name() + "' is not a"
                + " language: name each caption file by its language tag, such as en, de or pt-BR");
    }

    private void check(Path target, WebVtt.Track track, Locale language, int durationSeconds)
            throws ContentImportException {
        Path name = relative.apply(target);
        if (track.cues().isEmpty()) {
            throw new ContentImportException(name, 0, "no cues: a caption file needs at least one");
        }
        if (track.declaredLanguage().isPresent()) {
            String declared = track.declaredLanguage().get();
            String code;
            try {
                code = new Locale.Builder().setLanguageTag(declared).build().getLanguage();
            } catch (IllformedLocaleException e) {
                code = declared;
            }
            if (!code.equals(language.getLanguage())) {
                throw new ContentImportException(name, track.languageLine(), "the file says 'Language: " + declared
                        + "', but the lesson names it as captions in '" + language.toLanguageTag() + "'");
            }
        }
        for (WebVtt.Cue cue : track.cues()) {
            if (cue.startMillis() >= (durationSeconds + 1) * 1000L) {
                throw new ContentImportException(name, cue.line(), "the cue starts at " + clock(cue.startMillis())
                        + ", after the video ends (" + clock(durationSeconds * 1000) + "): is it the caption file of"
                        + " another video?");
            }
        }
    }

    private String text(Path target) throws ContentImportException {
        try {
            if (Files.size(target) > MAX_BYTES) {
                throw new ContentImportException(relative.apply(target), 0, "larger than 1 MB: not a caption file");
            }
            byte[] bytes = Files.readAllBytes(target);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ContentImportException(relative.apply(target), 0, "not UTF-8 text (WebVTT is always UTF-8)");
        } catch (IOException e) {
            throw new ContentImportException(relative.apply(target), 0, "cannot be read: " + e.getMessage());
        }
    }

    /** The language's name in itself, capitalised: English, Deutsch, Português (Brasil). */
    static String ownName(Locale language) {
        String name = language.getDisplayName(language);
        return name.isEmpty() ? language.toLanguageTag() : name.substring(0, 1).toUpperCase(language)
                + name.substring(1);
    }

    /** {@code 1:05.250}, as the errors name a moment. */
    static String clock(long millis) {
        long seconds = millis / 1000;
        return String.format(Locale.ROOT, "%d:%02d.%03d", seconds / 60, seconds % 60, millis % 1000);
    }
}
