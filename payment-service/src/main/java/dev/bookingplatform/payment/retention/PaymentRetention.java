package dev.bookingplatform.payment.retention;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.bookingplatform.eventing.retention.RetentionRule;

/**
 * payment-service's share of retention: webhook records once Stripe can no longer retry them (it retries for up to
 * three days), and the customer's e-mail address and name on sessions and Stripe intents long closed.
 */
@Configuration(proxyBeanMethods = false)
class PaymentRetention {

    @Bean
    RetentionRule webhookRecords(@Value("${bookingplatform.payment.webhook-retention:30d}") Duration period) {
        return RetentionRule.delete("webhook-records", "stripe_webhook_event", "received_at", period, "status <> 'PENDING'");
    }

    @Bean
    RetentionRule sessionsPersonalData(@Value("${bookingplatform.payment.personal-data-retention:90d}") Duration period) {
        return RetentionRule.mask("sessions-personal-data", "payment_session", "expires_at", period,
                "status <> 'OPEN' AND customer_email <> 'erased@invalid'", "customer_email = 'erased@invalid', customer_name = NULL");
    }

    @Bean
    RetentionRule intentsPersonalData(@Value("${bookingplatform.payment.personal-data-retention:90d}") Duration period) {
        return RetentionRule.mask("intents-personal-data", "stripe_intent", "created_at", period,
                "status <> 'PENDING' AND (payload ->> 'customerEmail' IS NOT NULL OR payload ->> 'customerName' IS NOT NULL)",
                "payload = payload - 'customerEmail' - 'customerName'");
    }
}
