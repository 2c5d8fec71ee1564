-- The trace an intent was recorded in (W3C traceparent), so the worker's Stripe call, its log lines and the
-- outcome's event continue the saga's trace instead of starting none.
ALTER TABLE stripe_intent ADD COLUMN traceparent text;
