package dev.bookingplatform.booking.saga;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.bookingplatform.eventing.consumer.HandlerRegistration;
import dev.bookingplatform.events.inventory.InventoryHoldExpired;
import dev.bookingplatform.events.inventory.InventoryRejected;
import dev.bookingplatform.events.inventory.InventoryReserved;
import dev.bookingplatform.events.payment.PaymentFailed;
import dev.bookingplatform.events.payment.PaymentRefunded;
import dev.bookingplatform.events.payment.PaymentSessionCreated;
import dev.bookingplatform.events.payment.PaymentSucceeded;

/** The events that drive the saga, each routed to its step through the library's idempotent, retrying path. */
@Configuration(proxyBeanMethods = false)
class SagaEventHandlers {

    @Bean
    HandlerRegistration<InventoryReserved> sagaOnInventoryReserved(BookingSaga saga) {
        return HandlerRegistration.on(InventoryReserved.class, (event, metadata) -> saga.onInventoryReserved(event));
    }

    @Bean
    HandlerRegistration<InventoryRejected> sagaOnInventoryRejected(BookingSaga saga) {
        return HandlerRegistration.on(InventoryRejected.class, (event, metadata) -> saga.onInventoryRejected(event));
    }

    @Bean
    HandlerRegistration<InventoryHoldExpired> sagaOnHoldExpired(BookingSaga saga) {
        return HandlerRegistration.on(InventoryHoldExpired.class, (event, metadata) -> saga.onHoldExpired(event));
    }

    @Bean
    HandlerRegistration<PaymentSessionCreated> sagaOnPaymentSessionCreated(BookingSaga saga) {
        return HandlerRegistration.on(PaymentSessionCreated.class, (event, metadata) -> saga.onPaymentSessionCreated(event));
    }

    @Bean
    HandlerRegistration<PaymentSucceeded> sagaOnPaymentSucceeded(BookingSaga saga) {
        return HandlerRegistration.on(PaymentSucceeded.class, (event, metadata) -> saga.onPaymentSucceeded(event));
    }

    @Bean
    HandlerRegistration<PaymentFailed> sagaOnPaymentFailed(BookingSaga saga) {
        return HandlerRegistration.on(PaymentFailed.class, (event, metadata) -> saga.onPaymentFailed(event));
    }

    @Bean
    HandlerRegistration<PaymentRefunded> sagaOnPaymentRefunded(BookingSaga saga) {
        return HandlerRegistration.on(PaymentRefunded.class, (event, metadata) -> saga.onPaymentRefunded(event));
    }
}
