/**
 * {@code ./local-stack}: the embedded default. {@link dev.bookingplatform.localstack.LocalStack} is the
 * command; {@code LocalInfrastructure} its PostgreSQL, Kafka and registry; {@code MailInbox} the mail page;
 * {@code Demo} the {@code --demo} bookings. The system itself starts through
 * {@link dev.bookingplatform.localstack.system.BookingSystem}, as in the system tests.
 */
@NullMarked
package dev.bookingplatform.localstack;

import org.jspecify.annotations.NullMarked;
