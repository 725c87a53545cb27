package dev.athanor.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The creator's Markdown renders as readers expect and never carries script into a page. */
class MarkdownTest {

    private final Markdown markdown = new Markdown();

    @Test
    void rendersTheExtensionsReadersExpect() {
        String html = markdown.render("""
                ## Getting started

                | a | b |
                | - | - |
                | 1 | 2 |

                ~~old~~ and https://example.com

                - [x] done
                - [ ] to do

                ```java
                int x = 1;
                ```
                """).html();

        assertThat(html).contains("<h2 id=\"getting-started\">Getting started</h2>")
                .contains("<table>").contains("<td>1</td>")
                .contains("<del>old</del>")
                .contains("<a href=\"https://example.com\">https://example.com</a>")
                .contains("<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"done\" /> done")
                .contains("<code class=\"language-java\">int x &#61; 1;");
    }

    @Test
    void aTaskListCheckboxIsNamedAfterItsItem() {
        String html = markdown.render("""
                - [x] Install a `JDK`
                  on your *machine*
                - [ ] Write tests
                  - [ ] the first one
                - [ ] "quotes" & a < b
                """).html();

        assertThat(html).contains("checked=\"\" aria-label=\"Install a JDK on your machine\" />")
                .contains("aria-label=\"Write tests\" />")
                .contains("aria-label=\"the first one\" />")
                .contains("aria-label=\"&#34;quotes&#34; &amp; a &lt; b\" />");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](  javascript:alert(1))",
        "![x](javascript:alert(1))",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<svg onload=alert(1)>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<details open ontoggle=alert(1)><summary>x</summary></details>",
        "<object data=\"x.swf\"></object><embed src=x>",
        "<form action=https://evil.example><input name=a></form>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "[x](vbscript:msgbox(1))",
        "<<script>script>alert(1)<</script>/script>",
    })
    void hostileMarkdownCarriesNoScript(String hostile) {
        String html = markdown.render("Before\n\n" + hostile + "\n\nAfter").html().toLowerCase();

        assertThat(html).doesNotContain("<script", "javascript:", "vbscript:", "onerror", "onload", "ontoggle",
                "<iframe", "<svg", "<object", "<embed", "<form", "style=", "data:text/html");
        assertThat(html).contains("<p>before</p>");
    }

    @Test
    void keepsTheSafeHtmlAuthorsUse() {
        String html = markdown.render("<details><summary>Hint</summary>Use <kbd>Ctrl</kbd>+<kbd>C</kbd></details>")
                .html();

        assertThat(html).contains("<details><summary>Hint</summary>").contains("<kbd>Ctrl</kbd>");
    }

    @Test
    void plainTextIsForSearchAndDescriptions() {
        Markdown.Rendered rendered = markdown.render("# Title\n\nSome **bold** words and `code`.");

        assertThat(rendered.text()).contains("Title").contains("Some bold words and").doesNotContain("**", "<");
    }
}
