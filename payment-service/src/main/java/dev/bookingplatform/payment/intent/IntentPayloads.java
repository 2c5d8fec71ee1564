package dev.bookingplatform.payment.intent;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** What each kind of intent needs to make its call, stored as the intent's JSON payload. */
public final class IntentPayloads {

    private IntentPayloads() {
    }

    /** Open a Checkout Session that ends with the hold ({@code payBy}). */
    public record OpenCheckout(long amountMinor, String currency, String customerEmail, @Nullable String customerName,
            String description, Instant payBy) {

        /** Without the customer's e-mail address or name. */
        @Override
        public String toString() {
            return "OpenCheckout[amountMinor=" + amountMinor + ", currency=" + currency + ", payBy=" + payBy + "]";
        }
    }

    /** Close the booking's session, if it is still open, because the booking ended unpaid. */
    public record CloseCheckout(String reason) {
    }

    /** Give {@code amountMinor} back; {@code attempt} > 1 after ops retried a refused refund. */
    public record Refund(long amountMinor, String currency, String reason, int attempt) {
    }
}
