package dev.bookingplatform.booking.saga;

import java.util.UUID;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.bookingplatform.eventing.consumer.HandlerRegistration;
import dev.bookingplatform.events.inventory.HoldConfirmed;
import dev.bookingplatform.events.inventory.HoldLost;
import dev.bookingplatform.events.inventory.InventoryHoldExpired;
import dev.bookingplatform.events.inventory.InventoryRejected;
import dev.bookingplatform.events.inventory.InventoryReserved;
import dev.bookingplatform.events.payment.PaymentDeclined;
import dev.bookingplatform.events.payment.PaymentDisputed;
import dev.bookingplatform.events.payment.PaymentFailed;
import dev.bookingplatform.events.payment.PaymentProcessing;
import dev.bookingplatform.events.payment.PaymentRefundFailed;
import dev.bookingplatform.events.payment.PaymentRefunded;
import dev.bookingplatform.events.payment.PaymentSessionCreated;
import dev.bookingplatform.events.payment.PaymentSucceeded;

/** The events that drive the saga: each one a trigger of {@link SagaTable}, through the library's idempotent, retrying path. */
@Configuration(proxyBeanMethods = false)
class SagaEventHandlers {

    @Bean
    HandlerRegistration<InventoryReserved> sagaOnInventoryReserved(BookingSaga saga) {
        return on(saga, InventoryReserved.class, InventoryReserved::getBookingId, event -> SagaTrigger.INVENTORY_RESERVED);
    }

    @Bean
    HandlerRegistration<InventoryRejected> sagaOnInventoryRejected(BookingSaga saga) {
        return on(saga, InventoryRejected.class, InventoryRejected::getBookingId, event -> SagaTrigger.INVENTORY_REJECTED);
    }

    @Bean
    HandlerRegistration<InventoryHoldExpired> sagaOnHoldExpired(BookingSaga saga) {
        return on(saga, InventoryHoldExpired.class, InventoryHoldExpired::getBookingId, event -> SagaTrigger.HOLD_EXPIRED);
    }

    @Bean
    HandlerRegistration<HoldConfirmed> sagaOnHoldConfirmed(BookingSaga saga) {
        return on(saga, HoldConfirmed.class, HoldConfirmed::getBookingId, event -> SagaTrigger.HOLD_CONFIRMED);
    }

    @Bean
    HandlerRegistration<HoldLost> sagaOnHoldLost(BookingSaga saga) {
        return on(saga, HoldLost.class, HoldLost::getBookingId, event -> SagaTrigger.HOLD_LOST);
    }

    @Bean
    HandlerRegistration<PaymentSessionCreated> sagaOnPaymentSessionCreated(BookingSaga saga) {
        return on(saga, PaymentSessionCreated.class, PaymentSessionCreated::getBookingId, event -> SagaTrigger.PAYMENT_SESSION_CREATED);
    }

    @Bean
    HandlerRegistration<PaymentDeclined> sagaOnPaymentDeclined(BookingSaga saga) {
        return on(saga, PaymentDeclined.class, PaymentDeclined::getBookingId, event -> SagaTrigger.PAYMENT_DECLINED);
    }

    @Bean
    HandlerRegistration<PaymentProcessing> sagaOnPaymentProcessing(BookingSaga saga) {
        return on(saga, PaymentProcessing.class, PaymentProcessing::getBookingId, event -> SagaTrigger.PAYMENT_PROCESSING)
                .neverSkipped(PAYMENT_IS_REPLAYED);
    }

    @Bean
    HandlerRegistration<PaymentSucceeded> sagaOnPaymentSucceeded(BookingSaga saga) {
        return on(saga, PaymentSucceeded.class, PaymentSucceeded::getBookingId, event -> SagaTrigger.PAYMENT_SUCCEEDED)
                .neverSkipped(PAYMENT_IS_REPLAYED);
    }

    @Bean
    HandlerRegistration<PaymentFailed> sagaOnPaymentFailed(BookingSaga saga) {
        return on(saga, PaymentFailed.class, PaymentFailed::getBookingId, BookingSaga::triggerOf);
    }

    @Bean
    HandlerRegistration<PaymentRefunded> sagaOnPaymentRefunded(BookingSaga saga) {
        return on(saga, PaymentRefunded.class, PaymentRefunded::getBookingId, event -> SagaTrigger.PAYMENT_REFUNDED);
    }

    @Bean
    HandlerRegistration<PaymentRefundFailed> sagaOnPaymentRefundFailed(BookingSaga saga) {
        return on(saga, PaymentRefundFailed.class, PaymentRefundFailed::getBookingId, event -> SagaTrigger.REFUND_REFUSED);
    }

    @Bean
    HandlerRegistration<PaymentDisputed> sagaOnPaymentDisputed(BookingSaga saga) {
        return on(saga, PaymentDisputed.class, PaymentDisputed::getBookingId, event -> SagaTrigger.PAYMENT_DISPUTED);
    }

    /**
     * A skipped payment would let compensation end the booking with the customer's money kept (the session is paid,
     * so nothing expires it); replayed, on a booking that has ended too, the saga refunds it.
     */
    static final String PAYMENT_IS_REPLAYED = "A payment is replayed, never skipped: fix its cause and replay it; on a"
            + " booking that has ended the saga then refunds it";

    private static <E extends SpecificRecord> HandlerRegistration<E> on(BookingSaga saga, Class<E> type,
            Function<E, UUID> bookingId, Function<E, SagaTrigger> trigger) {
        return HandlerRegistration.on(type, (event, metadata) -> saga.handle(bookingId.apply(event), trigger.apply(event), event));
    }
}
