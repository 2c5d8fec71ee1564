package dev.bookingplatform.payment.gateway;

import com.stripe.exception.StripeException;

/**
 * A Stripe call that failed for good (after the retries, or at once for a permanent error). The message
 * carries Stripe's request id and code so ops can find the call in Stripe's dashboard.
 */
public class StripeCallFailed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StripeCallFailed(StripeException cause) {
        super("Stripe call failed: " + cause.getClass().getSimpleName() + " status=" + cause.getStatusCode()
                + " code=" + cause.getCode() + " request=" + cause.getRequestId() + ": " + cause.getMessage(), cause);
    }

    /** A failure a later attempt may not see (network, 5xx, rate limit). */
    public boolean isTransient() {
        return StripePaymentGateway.isTransient(this);
    }
}
