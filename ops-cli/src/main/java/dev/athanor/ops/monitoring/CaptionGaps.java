package dev.athanor.ops.monitoring;

import dev.athanor.AthanorConfiguration;
import dev.athanor.content.Content;
import dev.athanor.monitoring.status.ServerStatus;
import dev.athanor.platform.db.Database;
import dev.athanor.platform.db.DatabaseServer;
import java.util.List;
import javax.sql.DataSource;

/**
 * The lessons whose video has no captions, as {@code ops status} lists them (the operator pages list them too): read
 * from the site's database through the content context; a failure is said in the part, not thrown.
 */
final class CaptionGaps {

    /** How many lessons the screen names before it counts the rest. */
    static final int NAMED = 5;

    private CaptionGaps() {
    }

    static ServerStatus.Captions read(AthanorConfiguration configuration) {
        try (DatabaseServer server = configuration.getDatabase().start()) {
            DataSource dataSource = server.dataSource("athanor-ops-status");
            dataSource.setLoginTimeout(5);
            return new ServerStatus.Captions(Content.uncaptionedLessons(Database.jdbi(dataSource)), null);
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new ServerStatus.Captions(List.of(), message.lines().findFirst().orElse(message));
        }
    }

    /** One line: none missing, or how many and the first few names. */
    static String describe(ServerStatus.Captions captions) {
        if (captions.problem() != null) {
            return "unknown: " + captions.problem();
        }
        List<String> lessons = captions.lessons();
        if (lessons.isEmpty()) {
            return "every lesson with a video has captions";
        }
        String named = String.join(", ", lessons.subList(0, Math.min(NAMED, lessons.size())));
        return lessons.size() + " lesson(s) without captions: " + named
                + (lessons.size() > NAMED ? " and " + (lessons.size() - NAMED) + " more (see /admin)" : "");
    }
}
