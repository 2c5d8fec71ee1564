package dev.bookingplatform.notification;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.bookingplatform.eventing.consumer.RetryPolicy;

/**
 * notification-service's settings, under {@code bookingplatform.notification}.
 *
 * @param from sender address of every e-mail
 * @param platformName how the e-mails sign off
 * @param messageIdDomain right-hand side of the Message-IDs, which are derived from the event so a resend is recognisable
 * @param smtpRetry how patiently an e-mail the SMTP relay refused is tried again before it is dead-lettered
 */
@ConfigurationProperties("bookingplatform.notification")
public record NotificationProperties(@DefaultValue("bookings@booking-platform.local") String from,
        @DefaultValue("Booking Platform") String platformName,
        @DefaultValue("booking-platform.local") String messageIdDomain,
        @DefaultValue SmtpRetry smtpRetry) {

    /**
     * Deliveries of one e-mail's event, the first wait, and the longest wait (doubling from the first): ten over
     * about a minute by default, so an SMTP relay restart is ridden out rather than dead-lettered.
     *
     * @param maxAttempts deliveries before the event goes to the dead-letter topic
     * @param initialDelay wait before the second delivery
     * @param maxDelay longest wait between two deliveries
     */
    public record SmtpRetry(@DefaultValue("10") int maxAttempts, @DefaultValue("250ms") Duration initialDelay,
            @DefaultValue("15s") Duration maxDelay) {

        public RetryPolicy policy() {
            return new RetryPolicy(maxAttempts, initialDelay, 2.0, maxDelay, Duration.ofMillis(100));
        }
    }
}
