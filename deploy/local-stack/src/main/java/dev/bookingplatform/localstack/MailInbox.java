package dev.bookingplatform.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import tools.jackson.databind.json.JsonMapper;

/**
 * A page that shows the mail the SMTP server received, newest first: what a developer opens to see the
 * receipt a booking produced. {@code /} lists, {@code /messages/N} shows one, {@code /api/messages} is the
 * same list as JSON for scripts.
 */
final class MailInbox implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final GreenMail smtp;

    private final HttpServer server;

    private MailInbox(GreenMail smtp, HttpServer server) {
        this.smtp = smtp;
        this.server = server;
    }

    static MailInbox start(GreenMail smtp, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            MailInbox inbox = new MailInbox(smtp, server);
            server.createContext("/", inbox::handle);
            server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "mail-inbox");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return inbox;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("The mail page could not listen on port " + port, ex);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            List<Mail> mail = received();
            if (path.equals("/api/messages")) {
                respond(exchange, 200, "application/json", JSON.writeValueAsString(mail));
            }
            else if (path.equals("/") || path.isEmpty()) {
                respond(exchange, 200, "text/html; charset=utf-8", listPage(mail));
            }
            else if (path.matches("/messages/\\d{1,6}") && Integer.parseInt(path.substring(10)) < mail.size()) {
                respond(exchange, 200, "text/html; charset=utf-8", messagePage(mail.get(Integer.parseInt(path.substring(10)))));
            }
            else {
                respond(exchange, 404, "text/plain; charset=utf-8", "No such page; the inbox is at /");
            }
        }
    }

    /** Every received message, newest first; {@code index} is its place in that order. */
    private List<Mail> received() {
        MimeMessage[] messages = smtp.getReceivedMessages();
        List<Mail> mail = new ArrayList<>();
        for (int i = messages.length - 1; i >= 0; i--) {
            mail.add(Mail.of(mail.size(), messages[i]));
        }
        return mail;
    }

    private static String listPage(List<Mail> mail) {
        String rows = mail.stream().map(m -> "<tr><td>%s</td><td>%s</td><td><a href=\"/messages/%d\">%s</a></td></tr>"
                .formatted(html(m.receivedAt()), html(m.to()), m.index(), html(m.subject())))
                .collect(Collectors.joining("\n"));
        return page("Mail inbox (" + mail.size() + ")", """
                <p>Mail the platform sent, newest first. Reload to see new mail.</p>
                <table><tr><th>Received</th><th>To</th><th>Subject</th></tr>
                %s
                </table>""".formatted(rows));
    }

    private static String messagePage(Mail mail) {
        return page(mail.subject(), """
                <p><a href="/">&larr; inbox</a></p>
                <pre>From: %s
                To: %s
                Date: %s
                Message-ID: %s</pre>
                <pre>%s</pre>""".formatted(html(mail.from()), html(mail.to()), html(mail.receivedAt()),
                html(mail.messageId()), html(mail.body())));
    }

    private static String page(String title, String body) {
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>%1$s</title>
                <style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em 1em;text-align:left}pre{background:#f4f4f4;padding:1em}</style>
                </head><body><h1>%1$s</h1>
                %2$s
                </body></html>""".formatted(html(title), body);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** One received message, as the page and the JSON list show it. */
    record Mail(int index, String receivedAt, String from, String to, String subject, String messageId, String body) {

        static Mail of(int index, MimeMessage message) {
            try {
                return new Mail(index, String.valueOf(message.getSentDate() == null ? "" : message.getSentDate().toInstant()),
                        addresses(message.getFrom()), addresses(message.getAllRecipients()), String.valueOf(message.getSubject()),
                        String.valueOf(message.getMessageID()), text(message));
            }
            catch (MessagingException | IOException ex) {
                return new Mail(index, "", "", "", "(unreadable message: " + ex.getMessage() + ")", "", "");
            }
        }

        /** The decoded text of a plain-text mail (what notification-service sends), the raw body otherwise. */
        private static String text(MimeMessage message) throws MessagingException, IOException {
            return message.getContent() instanceof String text ? text : GreenMailUtil.getBody(message);
        }

        private static String addresses(Address[] addresses) {
            return addresses == null ? "" : Arrays.stream(addresses).map(Address::toString).collect(Collectors.joining(", "));
        }
    }
}
