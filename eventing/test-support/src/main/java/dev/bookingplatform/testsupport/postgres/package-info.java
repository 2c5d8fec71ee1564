@NullMarked
package dev.bookingplatform.testsupport.postgres;

import org.jspecify.annotations.NullMarked;
