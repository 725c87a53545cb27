package dev.athanor.ops.nginx;

import com.google.common.html.HtmlEscapers;

/**
 * {@code maintenance.html}: the page nginx answers its own 503s with, one self-contained file (no stylesheet or
 * image the site would have to serve), the operator's message escaped as text.
 */
final class MaintenancePage {

    static final String DEFAULT_MESSAGE = "We are making a few improvements and will be back in a few minutes."
            + " Thank you for your patience.";

    private MaintenancePage() {
    }

    static String render(String siteName, String message) {
        String shown = message == null || message.isBlank() ? DEFAULT_MESSAGE : message.strip();
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%1$s: back soon</title>
                <style>
                body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
                       font: 18px/1.6 system-ui, -apple-system, "Segoe UI", sans-serif; color: #2b2b2b;
                       background: #f7f5f0; }
                main { max-width: 34rem; padding: 2rem; text-align: center; }
                h1 { font-size: 1.6rem; font-weight: 600; margin: 0 0 1rem; }
                p { margin: 0; white-space: pre-line; }
                </style>
                </head>
                <body>
                <main>
                <h1>%1$s will be back shortly</h1>
                <p>%2$s</p>
                </main>
                </body>
                </html>
                """.formatted(escape(siteName), escape(shown));
    }

    private static String escape(String text) {
        return HtmlEscapers.htmlEscaper().escape(text);
    }
}
