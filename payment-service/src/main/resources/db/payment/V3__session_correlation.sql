-- The booking's correlation id, kept with its checkout session: a webhook arrives outside the saga (Stripe sends no
-- X-Correlation-Id), and the events it causes must carry on the saga's id. Nullable: sessions made before it have none.
ALTER TABLE payment_session ADD COLUMN correlation_id text;
