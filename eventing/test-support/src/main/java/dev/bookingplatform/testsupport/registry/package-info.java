@NullMarked
package dev.bookingplatform.testsupport.registry;

import org.jspecify.annotations.NullMarked;
