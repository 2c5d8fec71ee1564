package dev.bookingplatform.stripesim;

import org.jspecify.annotations.Nullable;

/** A failure answered in Stripe's error shape, which stripe-java turns into the matching exception. */
final class StripeError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;

    final String code;

    private final @Nullable String type;

    StripeError(int status, String code, String message) {
        this(status, code, message, null);
    }

    StripeError(int status, String code, String message, @Nullable String type) {
        super(message);
        this.status = status;
        this.code = code;
        this.type = type;
    }

    /** Stripe's idempotency_error: the key was first used with other parameters. */
    static StripeError idempotencyMismatch(String key) {
        return new StripeError(400, "idempotency_key_in_use", "Keys for idempotent requests can only be used with the same"
                + " parameters they were first used with. Try using a key other than '" + key + "' if you meant to execute a"
                + " different request.", "idempotency_error");
    }

    static StripeError rateLimited() {
        return new StripeError(429, "rate_limit", "Request rate limit exceeded. You can learn more about rate limits here"
                + " https://stripe.com/docs/rate-limits.");
    }

    String type() {
        if (type != null) {
            return type;
        }
        return status >= 500 ? "api_error" : "invalid_request_error";
    }
}
