/**
 * A local stand-in for the part of Stripe's REST API payment-service uses: Checkout Sessions (create,
 * retrieve, expire), refunds, idempotency keys, and signed webhooks from a checkout page.
 */
@NullMarked
package dev.bookingplatform.stripesim;

import org.jspecify.annotations.NullMarked;
