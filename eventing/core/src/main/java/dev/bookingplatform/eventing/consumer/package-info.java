@NullMarked
package dev.bookingplatform.eventing.consumer;

import org.jspecify.annotations.NullMarked;
