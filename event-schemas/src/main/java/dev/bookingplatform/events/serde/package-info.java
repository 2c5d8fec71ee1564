@NullMarked
package dev.bookingplatform.events.serde;

import org.jspecify.annotations.NullMarked;
