@NullMarked
package dev.bookingplatform.events.evolution;

import org.jspecify.annotations.NullMarked;
