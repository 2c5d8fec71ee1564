-- Issue 15: every dead letter, also in the service's database, so ops list and filter them without
-- scanning a 30-day topic, and act on them (replay, skip) with what they did kept beside them.

-- One row per record this consumer group could not apply (status DEAD, also on <topic>.<group>.DLT), and
-- per later record of the same key held back behind it (status PARKED: not a failure, so not on the DLT;
-- applied in order once the one ahead is replayed or skipped). The record's bytes are kept so a replay
-- needs neither the DLT nor its retention.
CREATE TABLE dead_letter (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer_group      text        NOT NULL,
    record_key          text,
    original_topic      text        NOT NULL,
    original_partition  int         NOT NULL,
    original_offset     bigint      NOT NULL,
    dlt_topic           text,
    dlt_partition       int,
    dlt_offset          bigint,
    event_id            uuid,
    event_type          text,
    booking_id          text,
    exception_class     text,
    exception_message   text,
    attempts            int         NOT NULL DEFAULT 1,
    record_value        bytea,
    record_headers      jsonb       NOT NULL DEFAULT '{}',
    status              text        NOT NULL CHECK (status IN ('DEAD', 'PARKED', 'REPLAYED', 'SKIPPED')),
    parked_behind       bigint      REFERENCES dead_letter (id),
    dead_lettered_at    timestamptz NOT NULL DEFAULT now(),
    resolved_at         timestamptz,
    resolved_by         text,
    last_replay_error   text,
    replays             int         NOT NULL DEFAULT 0,
    CHECK ((resolved_at IS NULL) = (status IN ('DEAD', 'PARKED'))),
    -- A record dead-lettered again after a crash (DLT written, offset not committed) is the same dead letter.
    UNIQUE (consumer_group, original_topic, original_partition, original_offset)
);
-- What the consumer asks before applying any record: is anything of this key still open ahead of it?
CREATE INDEX dead_letter_open_by_key_idx ON dead_letter (consumer_group, record_key, id) WHERE resolved_at IS NULL;
CREATE INDEX dead_letter_time_idx ON dead_letter (dead_lettered_at);
CREATE INDEX dead_letter_booking_idx ON dead_letter (booking_id);
CREATE UNIQUE INDEX dead_letter_dlt_coordinates_idx ON dead_letter (dlt_topic, dlt_partition, dlt_offset);

-- Who did what to a dead letter, when, why, and how it went.
CREATE TABLE dead_letter_action (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dead_letter_id  bigint      NOT NULL REFERENCES dead_letter (id) ON DELETE CASCADE,
    action          text        NOT NULL,
    actor           text        NOT NULL,
    reason          text        NOT NULL,
    outcome         text        NOT NULL,
    detail          text,
    acted_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dead_letter_action_letter_idx ON dead_letter_action (dead_letter_id, id);
