@NullMarked
package dev.bookingplatform.testsupport.kafka;

import org.jspecify.annotations.NullMarked;
