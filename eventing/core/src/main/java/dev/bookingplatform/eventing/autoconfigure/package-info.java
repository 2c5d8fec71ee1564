/** Spring Boot auto-configuration of the eventing library. */
@NullMarked
package dev.bookingplatform.eventing.autoconfigure;

import org.jspecify.annotations.NullMarked;
