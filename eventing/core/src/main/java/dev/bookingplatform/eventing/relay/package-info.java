@NullMarked
package dev.bookingplatform.eventing.relay;

import org.jspecify.annotations.NullMarked;
