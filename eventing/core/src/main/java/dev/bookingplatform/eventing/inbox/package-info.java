@NullMarked
package dev.bookingplatform.eventing.inbox;

import org.jspecify.annotations.NullMarked;
