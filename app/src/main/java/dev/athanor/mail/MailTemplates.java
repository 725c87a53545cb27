package dev.athanor.mail;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.StringWriter;
import java.util.Map;

/**
 * The messages the site sends, each a set of Mustache templates in this package: {@code NAME.subject.mustache},
 * {@code NAME.txt.mustache} (the plain-text part) and {@code NAME.html.mustache} (extending
 * {@code layout.html.mustache}). Templates are compiled once.
 */
final class MailTemplates {

    /** A rendered message. */
    record Rendered(String subject, String text, String html) {
    }

    private final MustacheFactory html = new DefaultMustacheFactory("dev/athanor/mail");
    /** Subjects and plain-text parts are not HTML: values go in as they are. */
    private final MustacheFactory text = new DefaultMustacheFactory("dev/athanor/mail") {
        @Override
        public void encode(String value, java.io.Writer writer) {
            try {
                writer.write(value);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    };

    Rendered render(String template, Map<String, ?> model) {
        return new Rendered(apply(text, template + ".subject.mustache", model).strip().replaceAll("\\s+", " "),
                apply(text, template + ".txt.mustache", model), apply(html, template + ".html.mustache", model));
    }

    private static String apply(MustacheFactory factory, String name, Map<String, ?> model) {
        Mustache mustache = factory.compile(name);
        StringWriter out = new StringWriter();
        mustache.execute(out, model);
        return out.toString();
    }
}
