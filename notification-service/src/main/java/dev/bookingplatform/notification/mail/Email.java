package dev.bookingplatform.notification.mail;

import java.util.UUID;

/** One e-mail to send: which template for which event, to whom, and the rendered text. */
record Email(UUID eventId, UUID bookingId, String template, String recipient, String subject, String body) {

    /** Without the recipient or the text (which names the customer): this may reach a log line. */
    @Override
    public String toString() {
        return "Email[eventId=" + eventId + ", bookingId=" + bookingId + ", template=" + template + "]";
    }
}
