/** Erasure on request: each service erases its own copy of a customer's personal data, told by an event. */
@NullMarked
package dev.bookingplatform.eventing.erasure;

import org.jspecify.annotations.NullMarked;
