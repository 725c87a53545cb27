package dev.athanor.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.content.ContentSnapshot.CaptionSource;
import dev.athanor.testing.ContentFolderBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lesson's caption files are read strictly: every mistake names the lesson's line or the caption file's. */
class CaptionFilesTest {

    private static final String GOOD = """
            WEBVTT

            00:00.000 --> 00:02.500
            Hello &amp; <i>welcome</i>.

            intro-2
            00:02.500 --> 00:05.000 line:90%
            <v Ana>Compile it
            with javac.</v>
            """;

    @TempDir
    Path temp;

    @Test
    void theDemoLessonHasEnglishCaptionsThatFitItsVideo() throws Exception {
        ContentSnapshot snapshot = ContentFolder.read(Path.of("..", "content", "demo"));

        CaptionSource captions = snapshot.courses().get(0).lessons().get(0).captions().get(0);
        assertThat(captions.language()).isEqualTo("en");
        assertThat(captions.label()).isEqualTo("English");
        assertThat(captions.file()).isEqualTo(Path.of("media", "hello-java.en.vtt"));
        assertThat(captions.cues()).hasSize(4);
        assertThat(captions.cues().get(1).text()).isEqualTo("Write it in a file named Hello.java, then compile it"
                + " with javac.");
        assertThat(captions.cues().get(3).endMillis()).isEqualTo(12_000);
    }

    @Test
    void cuesLoseTheirMarkupAndKeepTheirMoments() throws Exception {
        ContentSnapshot snapshot = ContentFolder.read(lesson("captions:\n  pt-br: ../../media/one.vtt\n", GOOD)
                .root());

        CaptionSource captions = snapshot.courses().get(0).lessons().get(0).captions().get(0);
        assertThat(captions.language()).as("canonical").isEqualTo("pt-BR");
        assertThat(captions.label()).isEqualTo("Português (Brasil)");
        assertThat(captions.cues()).extracting(WebVtt.Cue::text).containsExactly("Hello & welcome.",
                "Compile it with javac.");
        assertThat(captions.cues()).extracting(WebVtt.Cue::startMillis).containsExactly(0, 2500);
        assertThat(captions.vtt()).isEqualTo(GOOD);
    }

    @Test
    void aLabelMayBeGiven() throws Exception {
        ContentSnapshot snapshot = ContentFolder.read(lesson(
                "captions:\n  en:\n    file: ../../media/one.vtt\n    label: English (CC)\n", GOOD).root());

        assertThat(snapshot.courses().get(0).lessons().get(0).captions().get(0).label()).isEqualTo("English (CC)");
    }

    @Test
    void aBadTimestampIsNamedAtItsLineInTheCaptionFile() {
        ContentFolderBuilder folder = lesson("captions:\n  en: ../../media/one.vtt\n",
                "WEBVTT\n\n00:00.000 --> 00:02.000\nFine.\n\n00:02.000 --> 00:3.000\nBad.\n");

        assertThatThrownBy(() -> ContentFolder.read(folder.root())).isInstanceOf(ContentImportException.class)
                .hasMessage("media/one.vtt:6: bad timestamp '00:3.000': write MM:SS.mmm or HH:MM:SS.mmm, such as"
                        + " 00:04.500");
    }

    @Test
    void aFileWithoutTheWebVttHeaderIsRefusedAtLineOne() {
        ContentFolderBuilder folder = lesson("captions:\n  en: ../../media/one.vtt\n",
                "1\n00:00:00,000 --> 00:00:02,000\nThis is SubRip, not WebVTT.\n");

        assertThatThrownBy(() -> ContentFolder.read(folder.root()))
                .hasMessage("media/one.vtt:1: not a WebVTT file: the first line must be 'WEBVTT'");
    }

    @Test
    void aMissingCaptionFileIsNamedAtTheLessonsLine() {
        ContentFolderBuilder folder = lesson("captions:\n  en: ../../media/one.vtt\n  de: ../../media/two.vtt\n",
                GOOD);

        assertThatThrownBy(() -> ContentFolder.read(folder.root()))
                .hasMessage("courses/intro/one.md:8: caption file does not exist: media/two.vtt");
    }

    @Test
    void aNameThatIsNoLanguageIsRefusedAtItsLine() {
        assertThatThrownBy(() -> ContentFolder.read(lesson("captions:\n  english: ../../media/one.vtt\n", GOOD)
                .root())).hasMessage("courses/intro/one.md:7: 'english' is not a language: name each caption file"
                        + " by its language tag, such as en, de or pt-BR");
        assertThatThrownBy(() -> ContentFolder.read(lesson("captions:\n  en: ../../media/one.vtt\n  EN:"
                + " ../../media/one.vtt\n", GOOD).root())).hasMessage("courses/intro/one.md:8: captions for 'en'"
                        + " are named twice");
    }

    @Test
    void aFileThatSaysItIsInAnotherLanguageIsRefusedAtThatLine() {
        ContentFolderBuilder folder = lesson("captions:\n  en: ../../media/one.vtt\n",
                "WEBVTT\nKind: captions\nLanguage: de\n\n00:00.000 --> 00:02.000\nHallo.\n");

        assertThatThrownBy(() -> ContentFolder.read(folder.root()))
                .hasMessage("media/one.vtt:3: the file says 'Language: de', but the lesson names it as captions in"
                        + " 'en'");
    }

    @Test
    void cuesMustBeInOrderEndAfterTheyStartAndFitTheVideo() {
        assertThatThrownBy(() -> ContentFolder.read(lesson("captions:\n  en: ../../media/one.vtt\n",
                "WEBVTT\n\n00:04.000 --> 00:05.000\nB.\n\n00:01.000 --> 00:02.000\nA.\n").root()))
                .hasMessageStartingWith("media/one.vtt:6: the cue starts (00:01.000) before the one above it");
        assertThatThrownBy(() -> ContentFolder.read(lesson("captions:\n  en: ../../media/one.vtt\n",
                "WEBVTT\n\n00:04.000 --> 00:03.000\nBackwards.\n").root()))
                .hasMessage("media/one.vtt:3: the cue ends (00:03.000) before it starts (00:04.000)");
        assertThatThrownBy(() -> ContentFolder.read(lesson("captions:\n  en: ../../media/one.vtt\n",
                "WEBVTT\n\n00:01.000 --> 00:02.000\nFits.\n\n01:00.000 --> 01:02.000\nLonger than the clip.\n")
                .root()))
                .hasMessage("media/one.vtt:6: the cue starts at 1:00.000, after the video ends (0:12.000): is it"
                        + " the caption file of another video?");
        assertThatThrownBy(() -> ContentFolder.read(lesson("captions:\n  en: ../../media/one.vtt\n",
                "WEBVTT\n\nno timing here\n").root()))
                .hasMessageStartingWith("media/one.vtt:3: 'no timing here' is neither a cue timing");
    }

    @Test
    void captionsNeedAVideo() {
        ContentFolderBuilder folder = ContentFolderBuilder.in(temp).course("intro", "Intro", "2026-01-01", "one")
                .raw("media/one.vtt", GOOD)
                .lesson("intro", "one", "title: One\nslug: one\ncaptions:\n  en: ../../media/one.vtt\n", "Notes");

        assertThatThrownBy(() -> ContentFolder.read(folder.root()))
                .hasMessage("courses/intro/one.md:4: 'captions' needs a 'video' to caption");
    }

    /** A course with one lesson of the 12-second demo video, whose front matter ends with {@code captions}. */
    private ContentFolderBuilder lesson(String captions, String vtt) {
        return ContentFolderBuilder.in(temp).course("intro", "Intro", "2026-01-01", "one").video("media/clip.mp4")
                .raw("media/one.vtt", vtt)
                .lesson("intro", "one", "title: One\nslug: one\nvideo: ../../media/clip.mp4\nfree: true\n" + captions,
                        "Notes");
    }
}
