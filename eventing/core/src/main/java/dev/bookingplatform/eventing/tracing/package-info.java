/** W3C trace context carried from a request through the outbox to every event it causes. */
@NullMarked
package dev.bookingplatform.eventing.tracing;

import org.jspecify.annotations.NullMarked;
