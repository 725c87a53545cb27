package dev.athanor.content;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.ext.task.list.items.TaskListItemMarker;
import org.commonmark.ext.task.list.items.TaskListItemsExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.text.TextContentRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

/**
 * The creator's Markdown as readers expect it (tables, strikethrough, autolinks, heading anchors, task lists; fenced
 * code keeps its language as {@code class="language-x"} for a client-side highlighter), made safe: the HTML that
 * commonmark produces, raw HTML in the Markdown included, goes through an allow-list sanitizer, so no script, event
 * handler, {@code javascript:} link, style or frame reaches a page. A task list's checkbox is named after its item
 * ({@code aria-label}), so a screen reader says what is done or to do, not just "checkbox".
 */
final class Markdown {

    /** One rendering: the safe HTML and the plain text (for search, snippets and descriptions). */
    record Rendered(String html, String text) {
    }

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(),
            StrikethroughExtension.create(), AutolinkExtension.create(), HeadingAnchorExtension.create(),
            TaskListItemsExtension.create());

    private static final PolicyFactory POLICY = new HtmlPolicyBuilder()
            .allowElements("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "em", "strong",
                    "del", "s", "hr", "br", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "img",
                    "a", "span", "div", "details", "summary", "kbd", "sup", "sub", "dl", "dt", "dd", "figure",
                    "figcaption", "input", "mark", "abbr")
            .allowAttributes("id").matching(Pattern.compile("[A-Za-z0-9_-]{1,100}"))
                    .onElements("h1", "h2", "h3", "h4", "h5", "h6")
            .allowAttributes("class").matching(Pattern.compile("language-[A-Za-z0-9_+#.-]{1,40}"))
                    .onElements("code")
            .allowAttributes("align").matching(true, "left", "center", "right").onElements("th", "td")
            .allowAttributes("href").onElements("a")
            .allowAttributes("title").onElements("a", "img", "abbr")
            .allowAttributes("src", "alt").onElements("img")
            .allowAttributes("start").matching(Pattern.compile("\\d{1,6}")).onElements("ol")
            .allowAttributes("type").matching(true, "checkbox").onElements("input")
            .allowAttributes("checked", "disabled", "aria-label").onElements("input")
            .allowAttributes("open").onElements("details")
            .allowStandardUrlProtocols()
            .toFactory();

    private final Parser parser = Parser.builder().extensions(EXTENSIONS).build();
    private final HtmlRenderer html = HtmlRenderer.builder().extensions(EXTENSIONS).sanitizeUrls(true)
            .attributeProviderFactory(context -> Markdown::nameTaskCheckbox).build();
    private final TextContentRenderer text = TextContentRenderer.builder().extensions(EXTENSIONS).build();

    Rendered render(String markdown) {
        Node document = parser.parse(markdown);
        return new Rendered(POLICY.sanitize(html.render(document)), text.render(document).strip());
    }

    private static void nameTaskCheckbox(Node node, String tagName, Map<String, String> attributes) {
        if (node instanceof TaskListItemMarker) {
            String name = itemText(node);
            if (!name.isEmpty()) {
                attributes.put("aria-label", name.length() > 200 ? name.substring(0, 200) : name);
            }
        }
    }

    /** The words of a task item: what follows its checkbox, without the items of a list nested in it. */
    private static String itemText(Node marker) {
        StringBuilder text = new StringBuilder();
        AbstractVisitor words = new AbstractVisitor() {
            @Override
            public void visit(Text node) {
                text.append(node.getLiteral());
            }

            @Override
            public void visit(Code node) {
                text.append(node.getLiteral());
            }

            @Override
            public void visit(SoftLineBreak node) {
                text.append(' ');
            }

            @Override
            public void visit(HardLineBreak node) {
                text.append(' ');
            }

            @Override
            public void visit(BulletList node) {
            }

            @Override
            public void visit(OrderedList node) {
            }
        };
        for (Node next = marker.getNext(); next != null; next = next.getNext()) {
            next.accept(words);
        }
        return text.toString().strip().replaceAll("\\s+", " ");
    }
}
