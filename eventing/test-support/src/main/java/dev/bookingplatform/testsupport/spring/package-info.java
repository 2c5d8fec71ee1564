@NullMarked
package dev.bookingplatform.testsupport.spring;

import org.jspecify.annotations.NullMarked;
