/** The whole booking platform in one JVM: how the system tests and the local stack start it. */
@NullMarked
package dev.bookingplatform.system;

import org.jspecify.annotations.NullMarked;
