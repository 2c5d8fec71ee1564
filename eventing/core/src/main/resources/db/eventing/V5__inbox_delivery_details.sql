-- Issue 16: what each consumer did with an event, for one booking's timeline: where the record was read
-- (topic, partition, offset), after how many deliveries, and how long the handler took. Nullable: rows
-- written before this migration have none of it.
ALTER TABLE processed_event ADD COLUMN event_type text;
ALTER TABLE processed_event ADD COLUMN aggregate_id text;
ALTER TABLE processed_event ADD COLUMN topic text;
ALTER TABLE processed_event ADD COLUMN kafka_partition int;
ALTER TABLE processed_event ADD COLUMN kafka_offset bigint;
ALTER TABLE processed_event ADD COLUMN attempts int;
ALTER TABLE processed_event ADD COLUMN handled_ms double precision;
CREATE INDEX processed_event_aggregate_idx ON processed_event (aggregate_id) WHERE aggregate_id IS NOT NULL;
