package dev.athanor.content;

import static dev.athanor.platform.web.XmlDocument.element;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.content.Pages.Entry;
import dev.athanor.platform.web.PageCache;
import dev.athanor.platform.web.Site;
import dev.athanor.platform.web.Web;
import dev.athanor.platform.web.XmlDocument;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** The Atom feed, the sitemap and robots.txt: what readers' apps and search engines fetch. */
@Path("/")
public final class FeedResource {

    private static final String ATOM = "http://www.w3.org/2005/Atom";
    private static final String SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private static final int FEED_ENTRIES = 30;

    private final Content content;
    private final PageCache pages;
    private final Site site;

    public FeedResource(Content content, Web web) {
        this.content = content;
        this.pages = web.pageCache();
        this.site = web.site();
    }

    @GET
    @Path("feed.xml")
    @Timed
    public Response feed(@Context HttpServletRequest request) {
        return pages.respond(request, "application/atom+xml; charset=utf-8", Set.of("courses", "articles"),
                () -> XmlDocument.write(this::writeFeed));
    }

    @GET
    @Path("sitemap.xml")
    @Timed
    public Response sitemap(@Context HttpServletRequest request) {
        return pages.respond(request, "application/xml; charset=utf-8", Set.of("courses", "articles"),
                () -> XmlDocument.write(this::writeSitemap));
    }

    @GET
    @Path("robots.txt")
    @Timed
    public Response robots(@Context HttpServletRequest request) {
        String text = "User-agent: *\nDisallow: /admin\nDisallow: /api/\nDisallow: /search\n\nSitemap: "
                + site.baseUrl() + "/sitemap.xml\n";
        return pages.respond(request, "text/plain; charset=utf-8", Set.of(),
                () -> text.getBytes(StandardCharsets.UTF_8));
    }

    private void writeFeed(XMLStreamWriter xml) throws XMLStreamException {
        List<Entry> entries = content.entries().stream().filter(entry -> !entry.kind().equals("course"))
                .limit(FEED_ENTRIES).toList();
        Instant updated = entries.stream().map(Entry::updated).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        xml.writeStartElement("feed");
        xml.writeDefaultNamespace(ATOM);
        element(xml, "title", site.name());
        if (!site.tagline().isBlank()) {
            element(xml, "subtitle", site.tagline());
        }
        element(xml, "id", site.baseUrl() + "/");
        element(xml, "updated", DateTimeFormatter.ISO_INSTANT.format(updated));
        link(xml, site.baseUrl() + "/feed.xml", "self");
        link(xml, site.baseUrl() + "/", "alternate");
        xml.writeStartElement("author");
        element(xml, "name", site.name());
        xml.writeEndElement();
        for (Entry entry : entries) {
            xml.writeStartElement("entry");
            element(xml, "title", entry.kind().equals("lesson") ? entry.title() + " (" + entry.summary() + ")"
                    : entry.title());
            element(xml, "id", site.baseUrl() + entry.url());
            link(xml, site.baseUrl() + entry.url(), "alternate");
            element(xml, "published", DateTimeFormatter.ISO_INSTANT.format(entry.published()));
            element(xml, "updated", DateTimeFormatter.ISO_INSTANT.format(entry.updated()));
            if (entry.kind().equals("article") && entry.summary() != null && !entry.summary().isBlank()) {
                element(xml, "summary", entry.summary());
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    private void writeSitemap(XMLStreamWriter xml) throws XMLStreamException {
        xml.writeStartElement("urlset");
        xml.writeDefaultNamespace(SITEMAP);
        for (String path : List.of("/", "/courses", "/articles")) {
            xml.writeStartElement("url");
            element(xml, "loc", site.baseUrl() + path);
            xml.writeEndElement();
        }
        for (Entry entry : content.entries()) {
            xml.writeStartElement("url");
            element(xml, "loc", site.baseUrl() + entry.url());
            element(xml, "lastmod", DateTimeFormatter.ISO_INSTANT.format(entry.updated()));
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    private static void link(XMLStreamWriter xml, String href, String rel) throws XMLStreamException {
        xml.writeEmptyElement("link");
        xml.writeAttribute("rel", rel);
        xml.writeAttribute("href", href);
    }
}
