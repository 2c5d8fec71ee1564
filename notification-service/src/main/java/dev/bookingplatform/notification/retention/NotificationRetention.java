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
}
