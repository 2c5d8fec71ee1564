package dev.bookingplatform.eventing.relay;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import dev.bookingplatform.eventing.outbox.OutboxRoutes;

/**
 * The Debezium engine's configuration: the PostgreSQL connector reading the outbox publication, the
 * Outbox Event Router, offsets in the service's database, and the latency tuning the README explains.
 */
final class RelayEngineProperties {

    static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";

    static final String HEARTBEAT_MESSAGE_PREFIX = "outbox-relay-heartbeat";

    private static final AtomicLong ENGINES_STARTED = new AtomicLong();

    /** A number for the next engine of this JVM: with the term, what its metrics are tagged with. */
    static long nextEngine() {
        return ENGINES_STARTED.incrementAndGet();
    }

    private RelayEngineProperties() {
    }

    static Properties of(RelaySettings settings, long term, long engine) {
        Properties props = new Properties();
        props.setProperty("name", settings.engineName());
        props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        // Also names Debezium's JMX metrics: one per database, or a second relay in the JVM waits a minute for the name.
        props.setProperty("topic.prefix", settings.engineName());
        // And each engine's own tags: an engine whose stop was cut short (a stalled leader stepping down) can leave its
        // metrics registered, and Debezium waits up to a minute for each taken name before it streams
        // (RelayMetricsLeftBehindIT). Not in topic.prefix: that also keys the stored offsets.
        props.setProperty("custom.metric.tags", "term=" + term + ",engine=" + engine);

        props.setProperty("offset.storage", JdbcOffsetStore.class.getName());
        props.setProperty(JdbcOffsetStore.URL, settings.jdbcUrl());
        props.setProperty(JdbcOffsetStore.USER, settings.user());
        props.setProperty(JdbcOffsetStore.PASSWORD, settings.password());
        props.setProperty(JdbcOffsetStore.TERM, Long.toString(term));
        // Not after every batch: that put a database transaction on every batch's path (the benchmark's p99). A crash
        // re-publishes about one interval of events, which the inbox drops; fencing keeps a zombie's writes out.
        props.setProperty("offset.flush.interval.ms", Long.toString(settings.offsetFlushInterval().toMillis()));
        props.setProperty("offset.flush.timeout.ms", "10000");

        props.setProperty("database.hostname", settings.host());
        props.setProperty("database.port", Integer.toString(settings.port()));
        props.setProperty("database.user", settings.user());
        props.setProperty("database.password", settings.password());
        props.setProperty("database.dbname", settings.database());
        // The replication connection gets the datasource's SSL settings too (sslmode=require and friends).
        JdbcUrlParameters.of(settings.jdbcUrl()).forEach((name, value) -> {
            if (name.startsWith("ssl")) {
                props.setProperty("database." + name, value);
            }
        });
        props.setProperty("database.tcpKeepAlive", "true");
        props.setProperty("plugin.name", "pgoutput");
        props.setProperty("slot.name", settings.slotName());
        props.setProperty("publication.name", RelaySettings.PUBLICATION);
        // The publication (outbox table, inserts only) comes with the eventing migration.
        props.setProperty("publication.autocreate.mode", "disabled");
        props.setProperty("table.include.list", "public.outbox_event");
        // No snapshot: the slot is created before the outbox's first row (OutboxRelay.prepareSlot), so streaming
        // from it sees every row in commit order; an initial snapshot would read the table in no order at all.
        props.setProperty("snapshot.mode", "no_data");
        props.setProperty("binary.handling.mode", "bytes");
        // During a failover the old leader may still hold the slot for a moment; retry quickly.
        props.setProperty("slot.max.retries", "40");
        props.setProperty("slot.retry.delay.ms", "250");
        // Any failure stops the engine; the relay decides whether restarting is safe (slot guard).
        props.setProperty("errors.max.retries", "0");

        props.setProperty("poll.interval.ms", Long.toString(settings.pollInterval().toMillis()));
        // A crash re-publishes at most the batch in flight; smaller batches mean fewer duplicates.
        props.setProperty("max.batch.size", "512");
        props.setProperty("max.queue.size", "16384");

        props.setProperty("heartbeat.interval.ms", Long.toString(settings.heartbeatInterval().toMillis()));
        // A non-transactional logical message reaches the slot whatever the publication holds, so an idle
        // outbox still confirms WAL positions and the slot does not pin WAL written by other tables.
        props.setProperty("heartbeat.action.query",
                "SELECT pg_logical_emit_message(false, '" + HEARTBEAT_MESSAGE_PREFIX + "', '')");
        props.setProperty("message.prefix.exclude.list", HEARTBEAT_MESSAGE_PREFIX);

        props.setProperty("transforms", "outbox");
        props.setProperty("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        props.setProperty("transforms.outbox.table.field.event.id", "id");
        props.setProperty("transforms.outbox.table.field.event.key", "aggregate_id");
        props.setProperty("transforms.outbox.table.field.event.payload", "payload");
        props.setProperty("transforms.outbox.route.by.field", "aggregate_type");
        props.setProperty("transforms.outbox.route.topic.replacement", OutboxRoutes.TOPIC_REPLACEMENT);
        props.setProperty("transforms.outbox.table.fields.additional.placement",
                "id:header:eventId,event_type:header:eventType,correlation_id:header:correlationId,"
                        + "causation_id:header:causationId,traceparent:header:traceparent,seq:header:" + KafkaPublisher.SEQUENCE_HEADER
                        + ",recorded_at:header:" + KafkaPublisher.RECORDED_AT_HEADER);
        props.setProperty("transforms.outbox.table.op.invalid.behavior", "error");
        return props;
    }
}
