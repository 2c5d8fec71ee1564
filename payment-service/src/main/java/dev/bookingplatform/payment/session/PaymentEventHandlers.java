package dev.bookingplatform.payment.session;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.bookingplatform.eventing.consumer.HandlerRegistration;
import dev.bookingplatform.events.booking.BookingCancellationRequested;
import dev.bookingplatform.events.booking.BookingCancelled;
import dev.bookingplatform.events.booking.PaymentRequested;

/** The saga commands payment-service consumes. */
@Configuration(proxyBeanMethods = false)
class PaymentEventHandlers {

    @Bean
    HandlerRegistration<PaymentRequested> openCheckoutOnPaymentRequested(PaymentService payments) {
        return HandlerRegistration.on(PaymentRequested.class, (event, metadata) -> payments.openCheckout(event));
    }

    @Bean
    HandlerRegistration<BookingCancelled> closeCheckoutOnBookingCancelled(PaymentService payments) {
        return HandlerRegistration.on(BookingCancelled.class, (event, metadata) -> payments.closeCheckout(event));
    }

    @Bean
    HandlerRegistration<BookingCancellationRequested> refundOnCancellationRequested(PaymentService payments) {
        return HandlerRegistration.on(BookingCancellationRequested.class, (event, metadata) -> payments.refund(event));
    }
}
