/** Payment service: Stripe checkout sessions, Stripe webhook ingestion, refunds. */
@NullMarked
package dev.bookingplatform.payment;

import org.jspecify.annotations.NullMarked;
