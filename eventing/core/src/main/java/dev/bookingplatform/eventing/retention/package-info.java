/**
 * Retention: rows past their period are deleted (or their personal data masked) in batches that replicas share
 * ({@code FOR UPDATE SKIP LOCKED}), and counted.
 */
@NullMarked
package dev.bookingplatform.eventing.retention;

import org.jspecify.annotations.NullMarked;
