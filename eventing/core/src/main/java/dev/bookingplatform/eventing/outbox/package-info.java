@NullMarked
package dev.bookingplatform.eventing.outbox;

import org.jspecify.annotations.NullMarked;
