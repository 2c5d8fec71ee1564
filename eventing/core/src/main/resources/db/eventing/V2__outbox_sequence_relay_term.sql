-- Issue 13: an outbox sequence to re-publish from, the relay's term to fence a zombie leader with,
-- and re-publish requests an operator files.

-- Insert order, not commit order: re-publishing from N means from N minus a margin (the inbox drops the
-- duplicates). Existing rows are numbered when the column is added.
ALTER TABLE outbox_event ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
-- now() is the writing transaction's start: always before its commit, so "rows recorded since T minus the
-- longest transaction" covers every row committed after T.
ALTER TABLE outbox_event ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
CREATE UNIQUE INDEX outbox_event_seq_idx ON outbox_event (seq);
CREATE INDEX outbox_event_recorded_at_idx ON outbox_event (recorded_at);

-- One row: the relay leader's term, raised by each replica that takes the relay lock. An offset write
-- carries the writer's term and is refused once a newer leader raised it, so a zombie cannot move the
-- stored offset.
CREATE TABLE relay_leader (
    id      int         PRIMARY KEY CHECK (id = 1),
    term    bigint      NOT NULL,
    holder  text,
    since   timestamptz
);
INSERT INTO relay_leader (id, term) VALUES (1, 0);

-- "Re-publish the outbox from sequence N", filed by an operator (POST /ops/relay/republish) and carried out
-- by whichever replica leads the relay.
CREATE TABLE relay_republish (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    from_seq       bigint      NOT NULL,
    requested_by   text        NOT NULL,
    reason         text        NOT NULL,
    requested_at   timestamptz NOT NULL DEFAULT now(),
    -- Where it really started: never later than the first row the stream may not have delivered, so one
    -- booking's events cannot go out of order (the relay lowers from_seq if needed).
    effective_from_seq bigint,
    attempts       int         NOT NULL DEFAULT 0,
    -- Set when it succeeded; a failed attempt records its error and is tried again.
    done_at        timestamptz,
    republished    bigint,
    error          text
);
