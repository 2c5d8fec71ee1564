package dev.bookingplatform.payment.webhook;

import java.util.Map;

import com.stripe.model.Event;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
@Tag(name = "Stripe webhook")
@SecurityScheme(name = StripeWebhookController.STRIPE_SIGNATURE, type = SecuritySchemeType.APIKEY,
        in = SecuritySchemeIn.HEADER, paramName = "Stripe-Signature", description = """
                Stripe's signature of the delivery: `t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed \
                with the endpoint's signing secret (whsec_...). Any v1 may match any configured secret (two during \
                a rotation), and the timestamp must be within the tolerance (5 minutes unless configured otherwise).""")
@RestController
class StripeWebhookController {

    static final String STRIPE_SIGNATURE = "stripeSignature";

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

    @Operation(operationId = "receiveStripeWebhook", summary = "Receive a Stripe webhook event", description = """
            Where Stripe delivers its events, forwarded verbatim (the exact bytes Stripe signed) by the webhook \
            ingestion service. No bearer token: the Stripe-Signature header, checked on the raw body before \
            anything else reads it, is the only proof. Each event is applied once, by its id, together with the \
            session's new state and the saga's event: checkout.session.completed, \
            checkout.session.async_payment_succeeded, checkout.session.async_payment_failed, \
            checkout.session.expired, payment_intent.payment_failed, refund.updated, refund.failed, \
            charge.refund.updated, charge.refunded and charge.dispute.created; any other type, or an event about a \
            payment or refund that is not ours, is acknowledged and ignored. A 2xx tells Stripe to stop sending the \
            event. A 400 would be the same on every redelivery: the signature does not verify (missing, wrong, too \
            old, or the body is not UTF-8: nothing is stored), or the signed body cannot be used (not a Stripe \
            event, no booking, an unknown session: recorded as FAILED). A 500 means processing failed on our side \
            and nothing was applied: Stripe delivers the event again later (for up to three days in live mode), as \
            it does after any answer that is not 2xx.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The event exactly as Stripe sent it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object",
                    description = "A Stripe Event object (https://docs.stripe.com/api/events/object): its id (evt_...),"
                            + " type, created and data.object, the object the event is about")))
    @ApiResponse(responseCode = "200", description = "Applied now, ignored, or nothing new (`outcome` says which):"
            + " Stripe stops sending it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = WebhookAcknowledgement.class)))
    @ApiResponse(responseCode = "400", description = "The same on every redelivery: the Stripe-Signature does not verify"
            + " (missing, wrong, too old; nothing stored), or the signed body is not a usable Stripe event (recorded as"
            + " FAILED)", content = @Content)
    @SecurityRequirement(name = STRIPE_SIGNATURE)
    @PostMapping("/webhooks/stripe")
    ResponseEntity<Map<String, String>> receive(@RequestBody(required = false) byte @Nullable [] payload,
            @Parameter(description = "Stripe's signature of the body and a timestamp, t=<unix time>,v1=<signature>"
                    + " (one v1 per signing secret). Required: without it the delivery is refused with 400")
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
            // The type is set here, not negotiated: an Accept header without JSON must not turn an applied event into a
            // 406, which Stripe would deliver again for days.
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("eventId", event.getId(), "outcome", outcome.name()));
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

    /** What {@code receive} answers, for the document: the body is written as a map. */
    @Schema(description = "The acknowledgement of one delivery")
    record WebhookAcknowledgement(@Schema(description = "The Stripe event's id (evt_...)") String eventId,
            @Schema(description = "PROCESSED: applied now; IGNORED: a type the saga does not use, or about a payment,"
                    + " refund or dispute of no session of ours; DUPLICATE: nothing new (a redelivery, news already"
                    + " applied by reconciliation or an earlier event, or a state that changes nothing)",
                    allowableValues = { "PROCESSED", "IGNORED", "DUPLICATE" }) String outcome) {
    }
}
