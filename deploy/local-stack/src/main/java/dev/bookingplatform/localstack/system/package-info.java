/**
 * The whole booking platform in one JVM: how the local stack and the system tests start it, the one way
 * to start the system.
 */
@NullMarked
package dev.bookingplatform.localstack.system;

import org.jspecify.annotations.NullMarked;
