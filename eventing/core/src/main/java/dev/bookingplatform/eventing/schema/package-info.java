@NullMarked
package dev.bookingplatform.eventing.schema;

import org.jspecify.annotations.NullMarked;
