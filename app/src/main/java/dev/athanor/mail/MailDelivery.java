package dev.athanor.mail;

import dev.athanor.monitoring.mail.SmtpMailer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/** How a message leaves: through the SMTP server, or into a folder of {@code .eml} files when there is none. */
interface MailDelivery {

    void send(String from, String recipient, String subject, String text, String html) throws Exception;

    /** Where messages go, for the log. */
    String describe();

    static MailDelivery smtp(SmtpMailer mailer) {
        return new MailDelivery() {
            @Override
            public void send(String from, String recipient, String subject, String text, String html)
                    throws Exception {
                mailer.send(from, recipient, subject, text, html);
            }

            @Override
            public String describe() {
                return "SMTP at " + mailer.describe();
            }
        };
    }

    static MailDelivery files(Path directory) {
        return new MailDelivery() {
            @Override
            public void send(String from, String recipient, String subject, String text, String html)
                    throws IOException {
                Files.createDirectories(directory);
                String name = Instant.now().toString().replace(':', '-') + "-" + recipient.replaceAll("[^A-Za-z0-9@.]",
                        "_") + ".eml";
                Path temporary = directory.resolve("." + name + ".tmp");
                String message = "From: " + from + "\nTo: " + recipient + "\nSubject: " + subject
                        + "\nContent-Type: text/plain; charset=UTF-8\n\n" + text;
                Files.writeString(temporary, message, StandardCharsets.UTF_8);
                Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            }

            @Override
            public String describe() {
                return "files in " + directory;
            }
        };
    }
}
