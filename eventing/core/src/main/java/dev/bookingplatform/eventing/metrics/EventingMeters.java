package dev.bookingplatform.eventing.metrics;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * The eventing library's meters, by the names the alert rules in {@code deploy/observability} use. Built on the
 * service's registry; {@link #none()} for code run outside a service (tests, benchmarks), where nothing is kept.
 */
public final class EventingMeters {

    /** How a delivery ended in a consumer: the {@code outcome} tag of {@code eventing.handler}. */
    public enum Outcome {
        APPLIED, DUPLICATE, PARKED, FAILED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;

    public EventingMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A registry with no backend: every meter is a no-op. */
    public static EventingMeters none() {
        return new EventingMeters(new CompositeMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Registers at zero the counters of an event type this service consumes, so dashboards and alerts (an
     * {@code increase()} needs a first sample) see them before the first dead letter.
     */
    public void expect(String consumerGroup, String topic, String eventType) {
        Counter.builder("eventing.dead.letters").description("Records sent to a dead-letter topic, by original topic")
                .tag("group", consumerGroup).tag("topic", topic).tag("eventType", eventType).register(registry);
        for (String kind : new String[] { "outage", "fault" }) {
            Counter.builder("eventing.consumer.retries").description("Failed deliveries tried again")
                    .tag("group", consumerGroup).tag("topic", topic).tag("kind", kind).register(registry);
        }
    }

    /** One delivery through a handler (or the inbox that skipped it), by event type and outcome. */
    public void handled(String consumerGroup, String eventType, Outcome outcome, long nanos) {
        Timer.builder("eventing.handler").description("Deliveries of events to this service's handlers, by type and outcome")
                .tag("group", consumerGroup).tag("eventType", eventType).tag("outcome", outcome.tag())
                .register(registry).record(Duration.ofNanos(nanos));
    }

    /** A failed delivery that will be tried again; {@code outage} when it is waited out without a limit. */
    public void retried(String consumerGroup, String topic, boolean outage) {
        Counter.builder("eventing.consumer.retries").description("Failed deliveries tried again")
                .tag("group", consumerGroup).tag("topic", topic).tag("kind", outage ? "outage" : "fault")
                .register(registry).increment();
    }

    /** A record the DLT acknowledged (and the index recorded). */
    public void deadLettered(String consumerGroup, String topic, String eventType) {
        Counter.builder("eventing.dead.letters").description("Records sent to a dead-letter topic, by original topic")
                .tag("group", consumerGroup).tag("topic", topic).tag("eventType", eventType)
                .register(registry).increment();
    }

    /** One outbox row published: from its insert to Kafka's acknowledgement of the batch's transaction. */
    public void relayed(String database, String topic, Duration sinceRecorded) {
        Timer.builder("eventing.relay.lag").description("Outbox row recorded -> published and committed on Kafka")
                .tag("database", database).tag("topic", topic)
                .register(registry).record(sinceRecorded.isNegative() ? Duration.ZERO : sinceRecorded);
    }

    /**
     * One batch's Kafka transaction: from the commit call to its acknowledgement (the batch's records acknowledged,
     * then the transaction ended). Beside the relay lag it tells Kafka's share of the wait from the rest (the
     * engine's poll, the decoding).
     */
    public void batchCommitted(String database, Duration commit) {
        Timer.builder("eventing.relay.commit").description("A relay batch's Kafka transaction: commit called -> acknowledged")
                .tag("database", database).register(registry).record(commit);
    }
}
