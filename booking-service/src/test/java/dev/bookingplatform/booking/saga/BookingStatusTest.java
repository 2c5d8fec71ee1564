package dev.bookingplatform.booking.saga;

import org.junit.jupiter.api.Test;

import static dev.bookingplatform.booking.saga.BookingStatus.AWAITING_PAYMENT;
import static dev.bookingplatform.booking.saga.BookingStatus.CANCELLED;
import static dev.bookingplatform.booking.saga.BookingStatus.CONFIRMED;
import static dev.bookingplatform.booking.saga.BookingStatus.PENDING;
import static dev.bookingplatform.booking.saga.BookingStatus.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

class BookingStatusTest {

    @Test
    void theSagaOnlyMovesForward() {
        assertThat(PENDING.next()).containsExactlyInAnyOrder(AWAITING_PAYMENT, REJECTED, CANCELLED);
        assertThat(AWAITING_PAYMENT.next()).containsExactlyInAnyOrder(CONFIRMED, CANCELLED);
        assertThat(CONFIRMED.next()).containsExactly(CANCELLED);
        assertThat(CONFIRMED.canMoveTo(AWAITING_PAYMENT)).isFalse();
        assertThat(AWAITING_PAYMENT.canMoveTo(PENDING)).isFalse();
    }

    @Test
    void rejectedAndCancelledAreFinal() {
        assertThat(REJECTED.isFinal()).isTrue();
        assertThat(CANCELLED.isFinal()).isTrue();
        for (BookingStatus any : BookingStatus.values()) {
            assertThat(CANCELLED.canMoveTo(any)).isFalse();
            assertThat(any.canMoveTo(any)).as("%s to itself", any).isFalse();
        }
    }
}
