-- payment_reference becomes payment_intent_id: what it holds (Stripe's pi_...) and what payment-service calls it.
-- A rename done as expand, then contract, so that two releases can run side by side during a rolling upgrade:
--   expand (this migration): the new column, filled from the old one for every row, and a trigger that keeps the
--     two equal whichever a replica writes: this release writes payment_intent_id, the previous one, still running
--     until the rollout ends, writes payment_reference and reads it for the confirmation's payment reference and
--     for ops' consistency facts;
--   contract (a release later, once no replica of the previous release can run): drop the trigger, its function
--     and payment_reference.
-- RollingUpgradeIT runs the previous release's booking-service beside this one on this schema.
-- The previous release keeps serving while this runs: rather fail the deployment (and retry it) than queue every
-- booking read and write behind a lock that a long transaction keeps this migration from taking.
SET LOCAL lock_timeout = '10s';

ALTER TABLE booking ADD COLUMN payment_intent_id text;

-- One statement: fine at this platform's size (a booking row per sale). On a very large table, fill in batches
-- by id before deploying, and let this statement catch the rest.
UPDATE booking SET payment_intent_id = payment_reference WHERE payment_reference IS NOT NULL AND payment_intent_id IS NULL;

CREATE FUNCTION booking_payment_intent_in_both_columns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.payment_intent_id := coalesce(NEW.payment_intent_id, NEW.payment_reference);
        NEW.payment_reference := NEW.payment_intent_id;
    ELSIF NEW.payment_intent_id IS DISTINCT FROM OLD.payment_intent_id THEN
        NEW.payment_reference := NEW.payment_intent_id;
    ELSIF NEW.payment_reference IS DISTINCT FROM OLD.payment_reference THEN
        NEW.payment_intent_id := NEW.payment_reference;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER booking_payment_intent_in_both_columns BEFORE INSERT OR UPDATE OF payment_intent_id, payment_reference ON booking
    FOR EACH ROW EXECUTE FUNCTION booking_payment_intent_in_both_columns();
