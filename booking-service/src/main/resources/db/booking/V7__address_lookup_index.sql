-- Support looks bookings up by address as the customer typed it, in any case (POST /api/bookings/search), as the
-- erasure finds them. The old exact-case index goes a release later (expand, then contract). Not CONCURRENTLY: that
-- waits for every open transaction on the database, the relay's long-lived sessions among them, and outlasted the
-- services' 30 s socket timeout in a test; on a very large table, build it by hand beforehand (IF NOT EXISTS).
CREATE INDEX IF NOT EXISTS booking_by_customer_address ON booking (lower(customer_email), created_at DESC);
