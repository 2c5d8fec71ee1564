package dev.bookingplatform.payment.intent;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.correlation.CorrelationScope;
import dev.bookingplatform.payment.StripeProperties;
import dev.bookingplatform.payment.gateway.StripeCallFailed;
import tools.jackson.databind.json.JsonMapper;

/**
 * Carries out one claimed intent: the call to Stripe outside any transaction, then the outcome and its
 * event in a transaction of their own, only if the claim is still this worker's. A transient failure
 * (Stripe unreachable, 5xx, 429) puts the intent back with a growing pause, for as long as it lasts; a
 * permanent one (Stripe refused) ends the intent with the event that tells the saga.
 */
@Component
class IntentRunner {

    private static final Logger log = LoggerFactory.getLogger(IntentRunner.class);

    private final StripeIntents intents;

    private final IntentCalls calls;

    private final TransactionTemplate transactions;

    private final StripeProperties properties;

    private final JsonMapper json;

    private final MeterRegistry meters;

    IntentRunner(StripeIntents intents, IntentCalls calls, TransactionTemplate transactions, StripeProperties properties,
            JsonMapper json, MeterRegistry meters) {
        this.intents = intents;
        this.calls = calls;
        this.transactions = transactions;
        this.properties = properties;
        this.json = json;
        this.meters = meters;
    }

    void run(StripeIntent intent) {
        Timer.Sample timing = Timer.start(meters);
        IntentCalls.Outcome outcome;
        try {
            outcome = switch (intent.kind()) {
                case CREATE_SESSION -> calls.openCheckout(intent, json.treeToValue(intent.payload(), IntentPayloads.OpenCheckout.class));
                case EXPIRE_SESSION -> calls.closeCheckout(intent);
                case REFUND -> calls.refund(intent, json.treeToValue(intent.payload(), IntentPayloads.Refund.class));
            };
        }
        catch (StripeCallFailed failed) {
            outcome = failed.isTransient() ? null : calls.refused(intent, failed.getMessage());
            if (outcome == null) {
                retryLater(intent, failed.getMessage());
                timing.stop(meters.timer("payment.stripe.intents", "kind", intent.kind().name(), "outcome", "transient"));
                return;
            }
        }
        record(intent, outcome);
        timing.stop(meters.timer("payment.stripe.intents", "kind", intent.kind().name(), "outcome", outcome.status()));
    }

    private void record(StripeIntent intent, IntentCalls.Outcome outcome) {
        try (CorrelationScope scope = scopeOf(intent)) {
            transactions.executeWithoutResult(tx -> {
                if (intents.lockClaimed(intent).isEmpty()) {
                    log.info("Intent {} ({} of booking {}) was taken over by another worker; its outcome stands", intent.id(),
                            intent.kind(), intent.bookingId());
                    return;
                }
                outcome.record().run();
                intents.finish(intent, outcome.status(), outcome.description());
            });
            log.info("Intent {} ({} of booking {}) {}: {}", intent.id(), intent.kind(), intent.bookingId(), outcome.status(),
                    outcome.description());
        }
    }

    /**
     * Gives up on an intent, telling the saga as a refusal would (a refund becomes REFUND_FAILED, for ops), so
     * no booking waits on it forever.
     */
    void abandon(StripeIntent intent, String error) {
        IntentCalls.Outcome refused = calls.refused(intent, "gave up after repeated failures to record the outcome: " + error);
        try (CorrelationScope scope = scopeOf(intent)) {
            transactions.executeWithoutResult(tx -> {
                if (intents.lockClaimed(intent).isPresent()) {
                    refused.record().run();
                    intents.abandon(intent, error);
                }
            });
        }
    }

    void retryLater(StripeIntent intent, String error) {
        long base = Math.min(properties.intents().maxBackoff().toMillis(), 500L << Math.min(20, Math.max(0, intent.attempts() - 1)));
        Duration wait = Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
        log.warn("Intent {} ({} of booking {}) attempt {} failed, again in {} ms: {}", intent.id(), intent.kind(), intent.bookingId(),
                intent.attempts(), wait.toMillis(), error);
        intents.retryLater(intent, wait, error);
    }

    static CorrelationScope scopeOf(StripeIntent intent) {
        return intent.causationId() != null && intent.correlationId() != null
                ? CorrelationScope.handling(intent.correlationId(), intent.causationId())
                : CorrelationScope.request(intent.correlationId());
    }
}
