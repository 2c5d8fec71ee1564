@NullMarked
package dev.bookingplatform.eventing.deadletter;

import org.jspecify.annotations.NullMarked;
