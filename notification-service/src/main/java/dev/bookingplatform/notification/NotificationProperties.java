package dev.bookingplatform.notification;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * notification-service's settings, under {@code bookingplatform.notification}.
 *
 * @param from sender address of every e-mail
 * @param platformName how the e-mails sign off
 * @param messageIdDomain right-hand side of the Message-IDs, which are derived from the event so a resend is recognisable
 */
@ConfigurationProperties("bookingplatform.notification")
public record NotificationProperties(@DefaultValue("bookings@booking-platform.local") String from,
        @DefaultValue("Booking Platform") String platformName,
        @DefaultValue("booking-platform.local") String messageIdDomain) {
}
