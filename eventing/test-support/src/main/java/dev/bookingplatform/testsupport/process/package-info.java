/** Starting parts of the system in JVMs of their own, so a test can kill them with SIGKILL. */
@NullMarked
package dev.bookingplatform.testsupport.process;

import org.jspecify.annotations.NullMarked;
