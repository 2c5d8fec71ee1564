-- The eventing library's tables, migrated by EventingSchema with their own history table
-- (eventing_schema_history) so their versions never collide with a service's own migrations.

-- Transactional outbox: one row per event, written in the same transaction as the state change.
CREATE TABLE outbox_event (
    id              uuid        PRIMARY KEY,
    aggregate_type  text        NOT NULL,
    aggregate_id    text        NOT NULL,
    event_type      text        NOT NULL,
    payload         bytea       NOT NULL,  -- Confluent-framed Avro
    correlation_id  text        NOT NULL,
    causation_id    uuid,
    traceparent     text,
    occurred_at     timestamptz NOT NULL
);
CREATE INDEX outbox_event_aggregate_idx ON outbox_event (aggregate_id, occurred_at);
CREATE INDEX outbox_event_occurred_at_idx ON outbox_event (occurred_at);

-- The relay reads the outbox from the WAL through this publication. Inserts only: purging old
-- rows (DELETE) must never reach Kafka.
CREATE PUBLICATION outbox_publication FOR TABLE outbox_event WITH (publish = 'insert');

-- Idempotent inbox: a handler's first insert of (group, event id) wins; a duplicate is a no-op.
CREATE TABLE processed_event (
    consumer_group  text        NOT NULL,
    event_id        uuid        NOT NULL,
    processed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, event_id)
);

-- Debezium's offsets (the WAL position published so far), kept in the service's own database.
CREATE TABLE relay_offset (
    offset_key    bytea       PRIMARY KEY,
    offset_value  bytea       NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
