package dev.athanor.monitoring.mail;

import jakarta.mail.Authenticator;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/** Sends plain-text mail through one SMTP server, each message on its own connection, every step bounded in time. */
public final class SmtpMailer {

    private final String host;
    private final int port;
    private final Session session;

    SmtpMailer(String host, int port, boolean startTls, String user, String password, Duration timeout) {
        this.host = host;
        this.port = port;
        Properties properties = new Properties();
        String protocol = port == 465 ? "smtps" : "smtp";
        properties.put("mail.transport.protocol", protocol);
        properties.put("mail." + protocol + ".host", host);
        properties.put("mail." + protocol + ".port", Integer.toString(port));
        properties.put("mail." + protocol + ".connectiontimeout", Long.toString(timeout.toMillis()));
        properties.put("mail." + protocol + ".timeout", Long.toString(timeout.toMillis()));
        properties.put("mail." + protocol + ".writetimeout", Long.toString(timeout.toMillis()));
        if (startTls && port != 465) {
            properties.put("mail.smtp.starttls.enable", "true");
            properties.put("mail.smtp.starttls.required", "true");
        }
        boolean login = user != null && !user.isBlank();
        properties.put("mail." + protocol + ".auth", Boolean.toString(login));
        this.session = Session.getInstance(properties, login ? new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user, password);
            }
        } : null);
    }

    /**
     * Sends one message.
     *
     * @throws MessagingException when the server cannot be reached or refuses the message
     */
    public void send(String from, List<String> recipients, String subject, String body) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(from));
        for (String recipient : recipients) {
            message.addRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse(recipient));
        }
        message.setSubject(subject, StandardCharsets.UTF_8.name());
        message.setText(body, StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        Transport.send(message);
    }

    /**
     * Sends one message with a plain-text part and an HTML alternative (mail readers show the richer one they can).
     *
     * @throws MessagingException when the server cannot be reached or refuses the message
     */
    public void send(String from, String recipient, String subject, String text, String html)
            throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(from));
        message.addRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse(recipient));
        message.setSubject(subject, StandardCharsets.UTF_8.name());
        jakarta.mail.internet.MimeMultipart alternatives = new jakarta.mail.internet.MimeMultipart("alternative");
        jakarta.mail.internet.MimeBodyPart plain = new jakarta.mail.internet.MimeBodyPart();
        plain.setText(text, StandardCharsets.UTF_8.name());
        jakarta.mail.internet.MimeBodyPart rich = new jakarta.mail.internet.MimeBodyPart();
        rich.setText(html, StandardCharsets.UTF_8.name(), "html");
        alternatives.addBodyPart(plain);
        alternatives.addBodyPart(rich);
        message.setContent(alternatives);
        message.setSentDate(new Date());
        Transport.send(message);
    }

    /**
     * Connects and logs in (STARTTLS first when required), then hangs up: for {@code ops doctor}.
     *
     * @throws MessagingException when the server cannot be reached or refuses the login
     */
    public void checkLogin() throws MessagingException {
        try (Transport transport = session.getTransport()) {
            transport.connect();
        }
    }

    /** {@code host:port}, for messages. */
    public String describe() {
        return host + ":" + port;
    }
}
