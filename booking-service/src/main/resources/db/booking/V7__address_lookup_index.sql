-- Support looks bookings up by address as the customer typed it, in any case (POST /api/bookings/search), as the
-- erasure finds them. The old index served the exact-case look-up only; it goes a release later (expand, then contract).
CREATE INDEX booking_by_customer_address ON booking (lower(customer_email), created_at DESC);
