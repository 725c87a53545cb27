package dev.athanor.events;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The recorded events ({@code event}) and the page views summed per day and path ({@code page_view_daily}). */
interface EventDao {

    /** Adds {@code views.get(i)} views of {@code paths.get(i)} to the day's counts. */
    @SqlBatch("""
            INSERT INTO page_view_daily (day, path, views) VALUES (:day, :path, :views)
            ON CONFLICT (day, path) DO UPDATE SET views = page_view_daily.views + EXCLUDED.views""")
    void addPageViews(LocalDate day, @Bind("path") List<String> paths, @Bind("views") List<Long> views);

    /** An event as its row has it (public for the binding; the interface is not). */
    record Row(String kind, Instant occurredAt, Long learnerId, Long lessonId, Long bytes) {
    }

    @SqlBatch("""
            INSERT INTO event (kind, occurred_at, learner_id, lesson_id, bytes)
            VALUES (:kind, :occurredAt, :learnerId, :lessonId, :bytes)""")
    void add(@BindMethods List<Row> events);

    /** Counts per day from {@code since} to {@code today}, newest first. */
    @SqlQuery("""
            WITH days AS (
                SELECT generate_series(CAST(:since AS date), CAST(:today AS date), interval '1 day')::date AS day
            )
            SELECT d.day,
                   coalesce((SELECT sum(views) FROM page_view_daily v WHERE v.day = d.day), 0) AS page_views,
                   (SELECT count(*) FROM event e WHERE e.kind = 'lesson_start'
                        AND e.occurred_at >= d.day AND e.occurred_at < d.day + 1) AS lesson_starts,
                   (SELECT count(*) FROM event e WHERE e.kind = 'lesson_complete'
                        AND e.occurred_at >= d.day AND e.occurred_at < d.day + 1) AS completions,
                   (SELECT count(*) FROM event e WHERE e.kind IN ('video_delivery', 'download')
                        AND e.occurred_at >= d.day AND e.occurred_at < d.day + 1) AS video_deliveries
            FROM days d ORDER BY d.day DESC""")
    @RegisterConstructorMapper(Events.DailyCounts.class)
    List<Events.DailyCounts> daily(LocalDate since, LocalDate today);

    /** The lessons started most often since {@code since}, with their starts and completions. */
    @SqlQuery("""
            SELECT lesson_id, count(*) FILTER (WHERE kind = 'lesson_start') AS starts,
                   count(*) FILTER (WHERE kind = 'lesson_complete') AS completions
            FROM event WHERE kind IN ('lesson_start', 'lesson_complete') AND occurred_at >= :since
                AND lesson_id IS NOT NULL
            GROUP BY lesson_id ORDER BY count(*) FILTER (WHERE kind = 'lesson_start') DESC, lesson_id
            LIMIT :limit""")
    @RegisterConstructorMapper(Events.LessonCount.class)
    List<Events.LessonCount> topLessons(Instant since, int limit);

    /** The paths viewed most since {@code since}, most viewed first. */
    @SqlQuery("""
            SELECT path FROM page_view_daily WHERE day >= :since
            GROUP BY path ORDER BY sum(views) DESC, path LIMIT :limit""")
    List<String> topPages(LocalDate since, int limit);
}
