package dev.bookingplatform.notification.retention;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.bookingplatform.eventing.retention.RetentionRule;

/**
 * notification-service's share of retention: the log of sent e-mails (it holds each recipient's address). It must
 * outlast the inbox's retention, or an event delivered again after both were purged would e-mail twice.
 */
@Configuration(proxyBeanMethods = false)
class NotificationRetention {

    @Bean
    RetentionRule sentMailLog(@Value("${bookingplatform.notification.log-retention:35d}") Duration period) {
        return RetentionRule.delete("sent-mail-log", "notification_log", "sent_at", period, "status = 'SENT'");
    }

    /**
     * A mail never sent (refused for good and dead-lettered, or cut short by a crash) stays SENDING with no sent_at:
     * aged by when it was first tried, or its recipient's address would be kept forever. A replay after that sends it.
     */
    @Bean
    RetentionRule unsentMailLog(@Value("${bookingplatform.notification.log-retention:35d}") Duration period) {
        return RetentionRule.delete("unsent-mail-log", "notification_log", "created_at", period, "status = 'SENDING'");
    }
}
