package dev.bookingplatform.notification.mail;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;

import dev.bookingplatform.eventing.consumer.EventHandler;
import dev.bookingplatform.eventing.consumer.HandlerRegistration;
import dev.bookingplatform.eventing.consumer.NonRetryableEventException;
import dev.bookingplatform.eventing.consumer.RetryPolicy;
import dev.bookingplatform.events.booking.BookingCancelled;
import dev.bookingplatform.events.booking.BookingConfirmed;
import dev.bookingplatform.events.booking.BookingRejected;
import dev.bookingplatform.events.payment.PaymentRefunded;
import dev.bookingplatform.notification.NotificationProperties;

/**
 * One e-mail per customer-facing event. A cancellation with a refund under way sends nothing itself: the
 * refund's e-mail tells the customer both, so a cancelled paid booking gets one e-mail, not two. SMTP
 * failures are retried patiently (an SMTP relay outage is usually short); an e-mail that cannot even be
 * built goes to the dead-letter topic at once.
 */
@Configuration(proxyBeanMethods = false)
class NotificationEventHandlers {

    /** Ten deliveries over about a minute by default ({@code bookingplatform.notification.smtp-retry.*}). */
    private final RetryPolicy smtpRetries;

    NotificationEventHandlers(NotificationProperties properties) {
        this.smtpRetries = properties.smtpRetry().policy();
    }

    @Bean
    HandlerRegistration<BookingConfirmed> mailOnBookingConfirmed(OnceOnlyMailer mailer, Templates templates) {
        return HandlerRegistration.on(BookingConfirmed.class, permanentIfUnbuildable(
                (event, metadata) -> mailer.send(templates.confirmed(event, metadata)))).withRetry(smtpRetries);
    }

    @Bean
    HandlerRegistration<BookingRejected> mailOnBookingRejected(OnceOnlyMailer mailer, Templates templates) {
        return HandlerRegistration.on(BookingRejected.class, permanentIfUnbuildable(
                (event, metadata) -> mailer.send(templates.rejected(event, metadata)))).withRetry(smtpRetries);
    }

    @Bean
    HandlerRegistration<BookingCancelled> mailOnBookingCancelled(OnceOnlyMailer mailer, Templates templates) {
        return HandlerRegistration.on(BookingCancelled.class, permanentIfUnbuildable((event, metadata) -> {
            if (!event.getRefundFollows()) {
                mailer.send(templates.cancelled(event, metadata));
            }
        })).withRetry(smtpRetries);
    }

    @Bean
    HandlerRegistration<PaymentRefunded> mailOnPaymentRefunded(OnceOnlyMailer mailer, Templates templates) {
        return HandlerRegistration.on(PaymentRefunded.class, permanentIfUnbuildable(
                (event, metadata) -> mailer.send(templates.refunded(event, metadata)))).withRetry(smtpRetries);
    }

    private static <E extends org.apache.avro.specific.SpecificRecord> EventHandler<E> permanentIfUnbuildable(EventHandler<E> handler) {
        return (event, metadata) -> {
            try {
                handler.handle(event, metadata);
            }
            catch (MailParseException | MailPreparationException unbuildable) {
                // Our own message names only the template and booking (OnceOnlyMailer), never the address.
                throw new NonRetryableEventException("E-mail for event " + metadata.getEventId() + " cannot be built: "
                        + unbuildable.getMessage(), unbuildable);
            }
        };
    }
}
