package dev.athanor.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.ContentFolderBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4DurationTest {

    @TempDir
    Path temp;

    @Test
    void readsTheDurationFromTheMovieHeader() throws Exception {
        assertThat(Mp4Duration.read(ContentFolderBuilder.DEMO_VIDEO)).hasValue(12);
    }

    @Test
    void aFileThatIsNotMp4HasNoDuration() throws Exception {
        Path text = Files.writeString(temp.resolve("notes.mp4"), "not a video at all, just some text");
        Path empty = Files.write(temp.resolve("empty.mp4"), new byte[0]);

        assertThat(Mp4Duration.read(text)).isEmpty();
        assertThat(Mp4Duration.read(empty)).isEmpty();
    }

    @Test
    void aTruncatedFileHasNoDuration() throws Exception {
        byte[] video = Files.readAllBytes(ContentFolderBuilder.DEMO_VIDEO);
        Path truncated = Files.write(temp.resolve("cut.mp4"), java.util.Arrays.copyOf(video, 40));

        assertThat(Mp4Duration.read(truncated)).isEmpty();
    }
}
