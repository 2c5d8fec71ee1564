-- A purged (resolved) dead letter may still be named by a parked one behind it: the link goes, the row stays.
ALTER TABLE dead_letter DROP CONSTRAINT dead_letter_parked_behind_fkey;
ALTER TABLE dead_letter ADD CONSTRAINT dead_letter_parked_behind_fkey
    FOREIGN KEY (parked_behind) REFERENCES dead_letter (id) ON DELETE SET NULL;
-- A DLT deleted and recreated starts its offsets again: where a dead letter lies is looked up, not unique.
DROP INDEX dead_letter_dlt_coordinates_idx;
CREATE INDEX dead_letter_dlt_coordinates_idx ON dead_letter (dlt_topic, dlt_partition, dlt_offset);
