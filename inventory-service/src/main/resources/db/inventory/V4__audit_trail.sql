-- What catalog:write tokens changed: who, with which scopes, what, when.
CREATE TABLE audit_entry (
    id       bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz  NOT NULL DEFAULT now(),
    subject  text         NOT NULL,
    scopes   text         NOT NULL,
    action   text         NOT NULL,
    target   text         NOT NULL,
    detail   text
);
CREATE INDEX audit_entry_by_target ON audit_entry (target, at);
