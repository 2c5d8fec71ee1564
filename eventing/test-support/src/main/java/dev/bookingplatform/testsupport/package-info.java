/**
 * Real infrastructure for tests and the local stack: a PostgreSQL server with logical decoding, a Kafka
 * broker and a Confluent-compatible schema registry.
 *
 * <p>{@link dev.bookingplatform.testsupport.Infrastructure} is the one switch: with a Docker engine
 * answering it starts Testcontainers, without one it runs everything on this machine (embedded
 * PostgreSQL, an in-JVM KRaft broker, Apicurio Registry as a child process). Each piece starts on first
 * use and is shared by every test in the JVM.
 */
@NullMarked
package dev.bookingplatform.testsupport;

import org.jspecify.annotations.NullMarked;
