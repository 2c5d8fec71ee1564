-- One row per e-mail sent: the key makes every (event, recipient, template) go out at most once.
CREATE TABLE notification_log (
    event_id   uuid        NOT NULL,
    recipient  text        NOT NULL,
    template   text        NOT NULL,
    sent_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, recipient, template)
);
