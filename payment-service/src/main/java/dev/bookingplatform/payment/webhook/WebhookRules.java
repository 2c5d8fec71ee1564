package dev.bookingplatform.payment.webhook;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import dev.bookingplatform.web.security.EndpointRules;

/** The webhook carries no bearer token: its Stripe signature, checked on the raw body, is its only proof. */
@Configuration(proxyBeanMethods = false)
class WebhookRules {

    @Bean
    EndpointRules stripeWebhookEndpoint() {
        return rules -> rules.requestMatchers(HttpMethod.POST, "/webhooks/stripe").permitAll();
    }
}
