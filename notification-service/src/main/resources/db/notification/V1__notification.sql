-- One row per e-mail: the key makes every (event, recipient, template) go out at most once. The row is
-- committed as SENDING before the SMTP call and as SENT after it, each in its own transaction, so a
-- redelivery after a crash finds SENT and sends nothing; only a crash between the SMTP server's accept and
-- the SENT commit makes a resend, with the same Message-ID (see the README).
CREATE TABLE notification_log (
    event_id    uuid         NOT NULL,
    recipient   text         NOT NULL,
    template    text         NOT NULL,
    message_id  text         NOT NULL UNIQUE,
    status      text         NOT NULL CHECK (status IN ('SENDING', 'SENT')),
    attempts    integer      NOT NULL DEFAULT 1,
    booking_id  uuid         NOT NULL,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    PRIMARY KEY (event_id, recipient, template)
);
