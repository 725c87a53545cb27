package dev.athanor.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dropwizard.testing.ConfigOverride;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SMTP server in the test JVM (GreenMail) on a free port, with the config overrides that send the site's
 * mail to it, and ways to read what arrived: the messages to an address, and the links in them.
 */
public final class TestMail implements AutoCloseable {

    private static final Pattern LINK = Pattern.compile("https?://[^\\s\"<>]+");

    private final GreenMail server;

    public TestMail() {
        this.server = new GreenMail(new ServerSetup(FreePort.find(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
    }

    public ConfigOverride[] overrides() {
        return new ConfigOverride[] {
            ConfigOverride.config("smtp.host", "127.0.0.1"),
            ConfigOverride.config("smtp.port", String.valueOf(server.getSmtp().getPort())),
            ConfigOverride.config("smtp.startTls", "false"),
            ConfigOverride.config("mail.pollInterval", "100ms"),
        };
    }

    /** Waits (up to 10 s) until {@code count} messages have reached {@code recipient}, and returns them all. */
    public List<MimeMessage> await(String recipient, int count) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<MimeMessage> found = to(recipient);
            if (found.size() >= count) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " message(s) to " + recipient + ", got "
                        + found.size() + ": " + subjects(found));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The messages that reached {@code recipient} so far, oldest first. */
    public List<MimeMessage> to(String recipient) {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : server.getReceivedMessages()) {
            try {
                if (Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                        .anyMatch(address -> address.toString().equalsIgnoreCase(recipient))) {
                    found.add(message);
                }
            } catch (MessagingException e) {
                throw new AssertionError(e);
            }
        }
        return found;
    }

    /** The newest message to {@code recipient} whose subject contains {@code subject}, waiting up to 10 s. */
    public MimeMessage latest(String recipient, String subject) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<MimeMessage> found = to(recipient);
            for (int i = found.size() - 1; i >= 0; i--) {
                if (subject(found.get(i)).contains(subject)) {
                    return found.get(i);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no message about '" + subject + "' to " + recipient + "; got "
                        + subjects(found));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The path (and query) of the first link in {@code message} whose path starts with {@code prefix}. */
    public static String linkPath(MimeMessage message, String prefix) {
        Matcher links = LINK.matcher(text(message));
        while (links.find()) {
            java.net.URI uri = java.net.URI.create(links.group());
            if (uri.getRawPath().startsWith(prefix)) {
                return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            }
        }
        throw new AssertionError("no link to " + prefix + " in: " + text(message));
    }

    /** The message's decoded text: every text part, one after the other. */
    public static String text(MimeMessage message) {
        try {
            StringBuilder text = new StringBuilder();
            collect(message.getContent(), text);
            return text.toString();
        } catch (MessagingException | java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void collect(Object content, StringBuilder text) throws MessagingException, java.io.IOException {
        if (content instanceof String part) {
            text.append(part).append('\n');
        } else if (content instanceof jakarta.mail.Multipart parts) {
            for (int i = 0; i < parts.getCount(); i++) {
                collect(parts.getBodyPart(i).getContent(), text);
            }
        }
    }

    /** The plain-text part alone. */
    public static String plainText(MimeMessage message) {
        try {
            return plain(message.getContent(), message.getContentType());
        } catch (MessagingException | java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String plain(Object content, String type) throws MessagingException, java.io.IOException {
        if (content instanceof String part) {
            return type.toLowerCase(java.util.Locale.ROOT).startsWith("text/plain") ? part : null;
        }
        if (content instanceof jakarta.mail.Multipart parts) {
            for (int i = 0; i < parts.getCount(); i++) {
                String found = plain(parts.getBodyPart(i).getContent(), parts.getBodyPart(i).getContentType());
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    public static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> subjects(List<MimeMessage> messages) {
        return messages.stream().map(TestMail::subject).toList();
    }

    public void reset() throws Exception {
        server.purgeEmailFromAllMailboxes();
    }

    @Override
    public void close() {
        server.stop();
    }
}
