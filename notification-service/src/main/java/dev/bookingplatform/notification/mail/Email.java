package dev.bookingplatform.notification.mail;

import java.util.UUID;

/** One e-mail to send: which template for which event, to whom, and the rendered text. */
record Email(UUID eventId, UUID bookingId, String template, String recipient, String subject, String body) {
}
