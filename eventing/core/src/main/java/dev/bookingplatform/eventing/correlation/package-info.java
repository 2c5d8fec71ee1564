@NullMarked
package dev.bookingplatform.eventing.correlation;

import org.jspecify.annotations.NullMarked;
