@NullMarked
package dev.bookingplatform.events.registry;

import org.jspecify.annotations.NullMarked;
