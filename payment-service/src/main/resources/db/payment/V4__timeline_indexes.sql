-- Issue 16: the ops timeline reads a booking's webhooks by booking id.
CREATE INDEX stripe_webhook_event_booking_idx ON stripe_webhook_event (booking_id) WHERE booking_id IS NOT NULL;
