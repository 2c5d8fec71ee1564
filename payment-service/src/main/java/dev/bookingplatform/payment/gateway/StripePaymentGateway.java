package dev.bookingplatform.payment.gateway;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.StripeCollection;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.EventListParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundListParams;
import com.stripe.param.checkout.SessionCreateParams;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.bookingplatform.payment.StripeProperties;

/**
 * {@link PaymentGateway} on Stripe through the official stripe-java client. Transient failures (no
 * connection, 5xx, 429) are retried with exponential back-off and jitter by resilience4j, each retry
 * with the same idempotency key; everything else is thrown at once.
 */
@Component
class StripePaymentGateway implements PaymentGateway {

    private final StripeClient stripe;

    private final StripeProperties properties;

    private final Retry retry;

    StripePaymentGateway(StripeProperties properties) {
        this.properties = properties;
        this.stripe = StripeClient.builder().setApiKey(properties.secretKey()).setApiBase(properties.apiBase())
                .setConnectTimeout((int) properties.connectTimeout().toMillis())
                .setReadTimeout((int) properties.readTimeout().toMillis())
                .setMaxNetworkRetries(0)
                .build();
        this.retry = Retry.of("stripe", RetryConfig.custom()
                .maxAttempts(properties.retry().maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(properties.retry().initialDelay(), 2.0, 0.5))
                .retryOnException(StripePaymentGateway::isTransient)
                .build());
    }

    @Override
    public CheckoutSession createCheckoutSession(CheckoutRequest request, String idempotencyKey) {
        SessionCreateParams params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setCustomerEmail(request.customerEmail())
                .setClientReferenceId(request.bookingId().toString())
                .putMetadata("bookingId", request.bookingId().toString())
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .putMetadata("bookingId", request.bookingId().toString()).build())
                .setExpiresAt(request.expiresAt().getEpochSecond())
                .setSuccessUrl(properties.successUrl())
                .setCancelUrl(properties.cancelUrl())
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                                .setCurrency(request.currency().toLowerCase(Locale.ROOT))
                                .setUnitAmount(request.amountMinor())
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName(request.description()).build())
                                .build())
                        .build())
                .build();
        Session session = call(() -> stripe.v1().checkout().sessions().create(params, idempotent(idempotencyKey)));
        return new CheckoutSession(session.getId(), session.getUrl(), Instant.ofEpochSecond(session.getExpiresAt()));
    }

    @Override
    public boolean expireCheckoutSession(String sessionId, String idempotencyKey) {
        try {
            call(() -> stripe.v1().checkout().sessions().expire(sessionId, idempotent(idempotencyKey)));
            return true;
        }
        catch (StripeCallFailed failed) {
            if (failed.getCause() instanceof InvalidRequestException invalid
                    && "checkout_session_not_open".equals(invalid.getCode())) {
                return false;
            }
            throw failed;
        }
    }

    @Override
    public RefundResult refund(UUID bookingId, String paymentIntentId, long amountMinor, String idempotencyKey) {
        RefundCreateParams params = RefundCreateParams.builder().setPaymentIntent(paymentIntentId).setAmount(amountMinor)
                .putMetadata("bookingId", bookingId.toString()).putMetadata("intentKey", idempotencyKey).build();
        com.stripe.model.Refund refund = call(() -> stripe.v1().refunds().create(params, idempotent(idempotencyKey)));
        return new RefundResult(refund.getId(), refund.getAmount(), refund.getCurrency().toUpperCase(Locale.ROOT),
                refund.getStatus() == null ? "succeeded" : refund.getStatus(), refund.getFailureReason());
    }

    @Override
    public java.util.Optional<RefundResult> findRefund(String paymentIntentId, String idempotencyKey) {
        RefundListParams params = RefundListParams.builder().setPaymentIntent(paymentIntentId).setLimit(100L).build();
        StripeCollection<com.stripe.model.Refund> refunds = call(() -> stripe.v1().refunds().list(params));
        return refunds.getData().stream()
                .filter(refund -> refund.getMetadata() != null && idempotencyKey.equals(refund.getMetadata().get("intentKey")))
                .findFirst()
                .map(refund -> new RefundResult(refund.getId(), refund.getAmount(), refund.getCurrency().toUpperCase(Locale.ROOT),
                        refund.getStatus() == null ? "succeeded" : refund.getStatus(), refund.getFailureReason()));
    }

    @Override
    public com.stripe.model.Refund retrieveRefund(String refundId) {
        return call(() -> stripe.v1().refunds().retrieve(refundId));
    }

    @Override
    public Session retrieveCheckoutSession(String sessionId) {
        return call(() -> stripe.v1().checkout().sessions().retrieve(sessionId));
    }

    @Override
    public EventPage listEvents(long createdFrom, @Nullable String startingAfter, int limit) {
        EventListParams.Builder params = EventListParams.builder().setLimit((long) limit)
                .setCreated(EventListParams.Created.builder().setGte(createdFrom).build());
        if (startingAfter != null) {
            params.setStartingAfter(startingAfter);
        }
        StripeCollection<Event> page = call(() -> stripe.v1().events().list(params.build()));
        return new EventPage(page.getData(), Boolean.TRUE.equals(page.getHasMore()));
    }

    private <T> T call(StripeCall<T> call) {
        Supplier<T> guarded = Retry.decorateSupplier(retry, () -> {
            try {
                return call.run();
            }
            catch (StripeException e) {
                throw new StripeCallFailed(e);
            }
        });
        return guarded.get();
    }

    private static RequestOptions idempotent(String key) {
        return RequestOptions.builder().setIdempotencyKey(key).build();
    }

    static boolean isTransient(Throwable failure) {
        Throwable cause = failure instanceof StripeCallFailed ? failure.getCause() : failure;
        return cause instanceof ApiConnectionException || cause instanceof ApiException
                || cause instanceof RateLimitException;
    }

    @FunctionalInterface
    private interface StripeCall<T> {

        T run() throws StripeException;
    }
}
