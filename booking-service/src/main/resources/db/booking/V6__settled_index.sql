-- Issue 16: the consistency monitor reads bookings by when they last changed.
CREATE INDEX booking_updated_at_idx ON booking (updated_at);
