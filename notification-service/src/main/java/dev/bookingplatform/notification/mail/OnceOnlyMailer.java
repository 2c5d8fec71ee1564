package dev.bookingplatform.notification.mail;

import java.util.Objects;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.notification.NotificationProperties;

/**
 * Sends each (event, recipient, template) once. The log entry is committed as SENDING before the SMTP
 * call and as SENT right after it, each in a transaction of its own, so neither a redelivered event nor
 * a crash before the consumer's commit sends it again. The one window left (the SMTP server accepted the
 * mail, the process died before SENT committed) resends with the same Message-ID, which mail clients
 * and the test mailbox recognise as the same message. SMTP offers no way to close it.
 */
@Component
class OnceOnlyMailer {

    private static final Logger log = LoggerFactory.getLogger(OnceOnlyMailer.class);

    private final JavaMailSenderImpl smtp;

    private final NotificationLog notificationLog;

    private final TransactionTemplate ownTransaction;

    private final NotificationProperties properties;

    private final InternetAddress sender;

    OnceOnlyMailer(JavaMailSenderImpl smtp, NotificationLog notificationLog, PlatformTransactionManager transactions,
            NotificationProperties properties) {
        this.smtp = smtp;
        this.notificationLog = notificationLog;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.properties = properties;
        this.sender = sender(properties.from());
    }

    /** The configured sender, parsed once: a setting that is no address stops the start, not every mail. */
    private static InternetAddress sender(String from) {
        try {
            return utf8(new InternetAddress(from));
        }
        catch (AddressException | java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException("bookingplatform.notification.from is not one e-mail address (" + e.getClass().getSimpleName() + ")");
        }
    }

    void send(Email email) {
        String messageId = "<" + email.eventId() + "." + email.template() + "@" + properties.messageIdDomain() + ">";
        // Before the log's claim and the SMTP call: an address that is none is permanent (a dead letter at once, no
        // SENDING row), not "SMTP did not take it".
        InternetAddress recipient = recipient(email);
        NotificationLog.Entry entry = Objects.requireNonNull(ownTransaction.execute(status -> notificationLog.claim(email, messageId)));
        if (entry.sent()) {
            log.info("E-mail {} for booking {} (event {}) was already sent; not sent again", email.template(),
                    email.bookingId(), email.eventId());
            return;
        }
        MimeMessage message = message(email, recipient, entry.messageId());
        try {
            smtp.send(message);
        }
        catch (org.springframework.mail.MailParseException unparsable) {
            throw new org.springframework.mail.MailParseException("E-mail " + email.template() + " for booking "
                    + email.bookingId() + " could not be parsed (" + kinds(unparsable) + ")");
        }
        catch (MailException failed) {
            // An SMTP reply quotes the recipient ("550 <ada@example.com> rejected"): what is logged, dead-lettered
            // and retried carries only the template, the booking and the failure's kinds.
            throw new MailSendException("SMTP did not take e-mail " + email.template() + " for booking " + email.bookingId()
                    + " (" + kinds(failed) + ")");
        }
        ownTransaction.executeWithoutResult(status -> notificationLog.markSent(email));
        log.info("E-mail {} for booking {} sent as {}", email.template(), email.bookingId(), entry.messageId());
    }

    private static InternetAddress recipient(Email email) {
        try {
            return utf8(new InternetAddress(email.recipient()));
        }
        catch (AddressException | java.io.UnsupportedEncodingException e) {
            // Not chained: an AddressException's text quotes the address.
            throw new MailPreparationException("E-mail " + email.template() + " for booking " + email.bookingId()
                    + " has no single valid recipient (" + kinds(e) + ")");
        }
    }

    /** A display name ("Zoë <zoe@example.com>") encoded as UTF-8 in the header, as RFC 2047 asks; as parsed it goes out raw. */
    private static InternetAddress utf8(InternetAddress parsed) throws java.io.UnsupportedEncodingException {
        return parsed.getPersonal() == null ? parsed : new InternetAddress(parsed.getAddress(), parsed.getPersonal(), "UTF-8");
    }

    private MimeMessage message(Email email, InternetAddress recipient, String messageId) {
        MimeMessage message = new MimeMessage(smtp.getSession()) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        try {
            // Not MimeMessageHelper: on a message of ours it reads the classpath's mime.types again for every mail
            // (2.5% of the saga benchmark's CPU), for attachments a plain-text mail never has.
            message.setFrom(sender);
            message.setRecipient(Message.RecipientType.TO, recipient);
            message.setSubject(email.subject(), "UTF-8");
            message.setText(email.body(), "UTF-8");
            message.setHeader("X-Booking-Id", email.bookingId().toString());
            return message;
        }
        catch (MessagingException e) {
            // Not chained: an AddressException's text quotes the address.
            throw new MailPreparationException("E-mail " + email.template() + " for booking " + email.bookingId()
                    + " could not be built (" + kinds(e) + ")");
        }
    }

    /** The exception types along the cause chain, never their messages. */
    static String kinds(Throwable failure) {
        StringBuilder kinds = new StringBuilder();
        for (Throwable cause = failure; cause != null && kinds.length() < 300; cause = cause.getCause()) {
            kinds.append(kinds.isEmpty() ? "" : " < ").append(cause.getClass().getSimpleName());
            if (cause instanceof MessagingException messaging && messaging.getNextException() != null
                    && messaging.getNextException() != cause.getCause()) {
                kinds.append(" < ").append(messaging.getNextException().getClass().getSimpleName());
            }
        }
        return kinds.toString();
    }
}
