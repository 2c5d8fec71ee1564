package dev.bookingplatform.payment.webhook;

import java.util.Map;

import com.stripe.model.Event;
import io.micrometer.core.instrument.MeterRegistry;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.web.ApiProblemException;

/**
 * {@code POST /webhooks/stripe}, as forwarded verbatim by the webhook ingestion service. Authenticated by
 * its signature alone. 200 for every event handled, ignored or already seen (Stripe then stops sending
 * it); 400 for a bad signature (nothing stored) or a signed but unusable body (recorded FAILED); 500 if
 * processing failed on our side, so Stripe delivers it again.
 */
@RestController
class StripeWebhookController {

    private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);

    private final WebhookSignatureVerifier verifier;

    private final WebhookProcessor processor;

    private final WebhookEvents records;

    private final MeterRegistry meters;

    StripeWebhookController(WebhookSignatureVerifier verifier, WebhookProcessor processor, WebhookEvents records,
            MeterRegistry meters) {
        this.verifier = verifier;
        this.processor = processor;
        this.records = records;
        this.meters = meters;
        // Served at 0 from the start, so an alert's increase() sees the first bad signature or failure, not the second.
        count("INVALID_SIGNATURE", "unknown", 0);
        count("FAILED", "unknown", 0);
        for (String type : WebhookProcessor.HANDLED_TYPES) {
            for (String outcome : new String[] { "PROCESSED", "DUPLICATE", "FAILED", "ERROR" }) {
                count(outcome, type, 0);
            }
        }
    }

    @PostMapping("/webhooks/stripe")
    Map<String, String> receive(@RequestBody(required = false) byte @Nullable [] payload,
            @RequestHeader(name = "Stripe-Signature", required = false) @Nullable String signature) {
        String body = RawBody.exactText(payload);
        Event event;
        try {
            event = verifier.verify(body, signature);
        }
        catch (ApiProblemException badSignature) {
            count("INVALID_SIGNATURE", "unknown");
            throw badSignature;
        }
        catch (MalformedWebhookException malformed) {
            records.recordFailure(WebhookSignatureVerifier.idOf(body), "unknown", malformed.getMessage());
            count("FAILED", "unknown");
            throw unusable(malformed);
        }
        try {
            WebhookOutcome outcome = processor.process(event);
            count(outcome.name(), event.getType());
            log.info("Stripe event {} ({}) {}", event.getId(), event.getType(), outcome.name());
            return Map.of("eventId", event.getId(), "outcome", outcome.name());
        }
        catch (MalformedWebhookException malformed) {
            count("FAILED", event.getType());
            throw unusable(malformed);
        }
        catch (RuntimeException ours) {
            // Answered 500, so Stripe delivers it again: counted, so a rising rate alerts before Stripe gives up.
            count("ERROR", event.getType());
            throw ours;
        }
    }

    private void count(String outcome, String type) {
        count(outcome, type, 1);
    }

    private void count(String outcome, String type, int deliveries) {
        meters.counter("payment.webhooks", "outcome", outcome, "type", type).increment(deliveries);
    }

    private static ApiProblemException unusable(MalformedWebhookException malformed) {
        return new ApiProblemException(HttpStatus.BAD_REQUEST, "Unusable webhook", malformed.getMessage());
    }
}
