package dev.athanor.api;

import static dev.athanor.platform.web.XmlDocument.element;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.content.Content;
import dev.athanor.content.SyncCatalogue;
import dev.athanor.events.Events;
import dev.athanor.media.Media;
import dev.athanor.media.Video;
import dev.athanor.platform.web.Site;
import dev.athanor.platform.web.XmlDocument;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A subscriber's private feed: RSS with an enclosure per lesson video, at a secret address made on the account page,
 * so lessons appear in any podcast or video app, with each video's caption files as Podcasting 2.0 transcripts. The
 * address works while its owner is entitled (403 after a lapse, 401 once revoked); the enclosures stream with Range
 * support and count as downloads.
 */
@Path("/feeds/{token}")
public final class PrivateFeedResource {

    private static final String RSS = "application/rss+xml; charset=utf-8";
    private static final String PODCAST = "https://podcastindex.org/namespace/1.0";
    /** A lesson's caption file in the feed: {@code LESSON.LANGUAGE.vtt} (slugs and language tags have no dots). */
    private static final Pattern CAPTIONS = Pattern.compile("([a-z0-9-]+)\\.([A-Za-z0-9-]+)\\.vtt");

    private final ApiAccess access;
    private final Content content;
    private final Media media;
    private final Events events;
    private final Site site;

    PrivateFeedResource(ApiAccess access, Content content, Media media, Events events, Site site) {
        this.access = access;
        this.content = content;
        this.media = media;
        this.events = events;
        this.site = site;
    }

    @GET
    @Path("lessons.rss")
    @Timed
    public Response feed(@PathParam("token") String token) {
        access.feed(token);
        String base = site.baseUrl().toString();
        List<Item> items = new ArrayList<>();
        for (SyncCatalogue.Course course : content.catalogue(java.util.Optional.empty())) {
            for (SyncCatalogue.Lesson lesson : course.lessons()) {
                lesson.videoId().flatMap(media::video)
                        .ifPresent(video -> items.add(new Item(course, lesson, video)));
            }
        }
        items.sort(Comparator.comparing((Item item) -> item.lesson().changedAt()).reversed());
        byte[] body = XmlDocument.write(xml -> {
            xml.writeStartElement("rss");
            xml.writeAttribute("version", "2.0");
            xml.writeNamespace("itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd");
            xml.writeNamespace("podcast", PODCAST);
            xml.writeStartElement("channel");
            element(xml, "title", site.name() + ": your lessons");
            element(xml, "link", base);
            element(xml, "description", "Every lesson of " + site.name() + ", for your subscription only.");
            xml.writeStartElement("itunes", "block", "http://www.itunes.com/dtds/podcast-1.0.dtd");
            xml.writeCharacters("yes");
            xml.writeEndElement();
            for (Item item : items) {
                item(xml, base, token, item);
            }
            xml.writeEndElement();
            xml.writeEndElement();
        });
        return Response.ok(body, RSS).header("Cache-Control", "private, no-store").build();
    }

    @GET
    @Path("{course}/{file}")
    @Timed
    public Response enclosure(@PathParam("token") String token, @PathParam("course") String courseSlug,
            @PathParam("file") String file, @Context HttpServletRequest request, @Context HttpHeaders headers) {
        long learner = access.feed(token);
        Matcher captions = CAPTIONS.matcher(file);
        if (!file.endsWith(".mp4") && !captions.matches()) {
            throw ApiError.notFound("No such file.");
        }
        SyncCatalogue.Course course = content.catalogueCourse(courseSlug)
                .orElseThrow(() -> ApiError.notFound("No such course."));
        if (captions.matches()) {
            return CaptionDownloads.send(content, ApiResource.find(course, captions.group(1)), captions.group(2),
                    file);
        }
        SyncCatalogue.Lesson lesson = ApiResource.find(course, file.substring(0, file.length() - 4));
        return ApiResource.deliver(learner, course, lesson, request, headers, media, events);
    }

    private record Item(SyncCatalogue.Course course, SyncCatalogue.Lesson lesson, Video video) {
    }

    private static void item(XMLStreamWriter xml, String base, String token, Item item) throws XMLStreamException {
        xml.writeStartElement("item");
        element(xml, "title", item.course().title() + ": " + item.lesson().number() + ". " + item.lesson().title());
        element(xml, "link", base + item.lesson().url());
        xml.writeStartElement("guid");
        xml.writeAttribute("isPermaLink", "false");
        xml.writeCharacters("lesson-" + item.lesson().id() + "-" + item.video().sha256());
        xml.writeEndElement();
        element(xml, "pubDate", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                item.lesson().changedAt().atOffset(ZoneOffset.UTC)));
        xml.writeEmptyElement("enclosure");
        xml.writeAttribute("url", base + "/feeds/" + token + "/" + item.course().slug() + "/" + item.lesson().slug()
                + ".mp4");
        xml.writeAttribute("length", Long.toString(item.video().sizeBytes()));
        xml.writeAttribute("type", item.video().contentType());
        xml.writeStartElement("itunes", "duration", "http://www.itunes.com/dtds/podcast-1.0.dtd");
        xml.writeCharacters(Integer.toString(item.video().durationSeconds()));
        xml.writeEndElement();
        for (SyncCatalogue.Caption caption : item.lesson().captions()) {
            // Podcasting 2.0's transcript element: apps that know it offer the captions with the video.
            xml.writeEmptyElement("podcast", "transcript", PODCAST);
            xml.writeAttribute("url", base + "/feeds/" + token + "/" + item.course().slug() + "/"
                    + item.lesson().slug() + "." + caption.language() + ".vtt");
            xml.writeAttribute("type", "text/vtt");
            xml.writeAttribute("language", caption.language());
            xml.writeAttribute("rel", "captions");
        }
        xml.writeEndElement();
    }
}
