package dev.athanor.content;

import dev.athanor.common.Durations;
import dev.athanor.content.Pages.CaptionTrack;
import dev.athanor.content.Pages.TranscriptCue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lesson's captions as its page offers them: a track per language for the player, and the cues as a transcript in
 * which each cue links to its moment: {@code VIDEO#t=SECONDS} (a media fragment the browser's own player honours
 * without script), which the player script turns into a seek of the page's player.
 */
final class Transcripts {

    private Transcripts() {
    }

    /** The tracks made of a lesson's cues ({@code transcript}), whose page is at {@code lessonUrl}, in their order. */
    static List<CaptionTrack> of(List<CoursePageDao.TranscriptLine> transcript, String lessonUrl) {
        Map<String, List<CoursePageDao.TranscriptLine>> byLanguage = new LinkedHashMap<>();
        for (CoursePageDao.TranscriptLine line : transcript) {
            byLanguage.computeIfAbsent(line.language(), language -> new ArrayList<>()).add(line);
        }
        List<CaptionTrack> tracks = new ArrayList<>();
        byLanguage.forEach((language, lines) -> tracks.add(new CaptionTrack(language, lines.get(0).label(),
                lessonUrl + "/captions/" + language + ".vtt", lines.stream().filter(line -> !line.text().isEmpty())
                        .map(line -> new TranscriptCue(seconds(line.startMs()), Durations.clock(line.startMs()),
                                lessonUrl + "/video", line.text())).toList())));
        return List.copyOf(tracks);
    }

    /** {@code 6.5} for 6,500 ms, {@code 12} for 12,000: a media fragment's seconds. */
    static String seconds(int millis) {
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }
}
