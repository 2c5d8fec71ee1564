package dev.bookingplatform.stripesim;

/** A failure answered in Stripe's error shape, which stripe-java turns into the matching exception. */
final class StripeError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;

    final String code;

    StripeError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    String type() {
        return status >= 500 ? "api_error" : "invalid_request_error";
    }
}
