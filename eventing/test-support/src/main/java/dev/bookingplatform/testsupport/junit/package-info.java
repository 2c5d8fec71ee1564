@NullMarked
package dev.bookingplatform.testsupport.junit;

import org.jspecify.annotations.NullMarked;
