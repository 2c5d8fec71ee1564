package dev.bookingplatform.notification.mail;

import java.util.Objects;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
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

    OnceOnlyMailer(JavaMailSenderImpl smtp, NotificationLog notificationLog, PlatformTransactionManager transactions,
            NotificationProperties properties) {
        this.smtp = smtp;
        this.notificationLog = notificationLog;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.properties = properties;
    }

    void send(Email email) {
        String messageId = "<" + email.eventId() + "." + email.template() + "@" + properties.messageIdDomain() + ">";
        NotificationLog.Entry entry = Objects.requireNonNull(ownTransaction.execute(status -> notificationLog.claim(email, messageId)));
        if (entry.sent()) {
            log.info("E-mail {} for booking {} (event {}) was already sent; not sent again", email.template(),
                    email.bookingId(), email.eventId());
            return;
        }
        // Built before the SMTP call: an address that is none is permanent, not "SMTP did not take it".
        MimeMessage message = message(email, entry.messageId());
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

    private MimeMessage message(Email email, String messageId) {
        MimeMessage message = new MimeMessage(smtp.getSession()) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        try {
            // Not MimeMessageHelper: on a message of ours it reads the classpath's mime.types again for every mail
            // (2.5% of the saga benchmark's CPU), for attachments a plain-text mail never has.
            message.setFrom(new InternetAddress(properties.from()));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(email.recipient()));
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
