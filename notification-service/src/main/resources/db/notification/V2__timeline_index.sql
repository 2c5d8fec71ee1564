-- Issue 16: the ops timeline reads a booking's mails by booking id.
CREATE INDEX notification_log_booking_idx ON notification_log (booking_id);
