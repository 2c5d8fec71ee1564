package dev.bookingplatform.eventing.consumer;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.Set;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.bookingplatform.events.registry.SchemaRegistryException;

/**
 * Which failures are an outage to wait out rather than a fault in the event: an explicit list, as spring-kafka
 * keeps its fatal ones. Such a failure is retried in place, with the handler's growing pauses, for as long as
 * it lasts, so a long database, registry or network outage never parks a good event on the dead-letter topic
 * (and the booking's later events behind it keep their order). Each retry is a new poll, so the consumer
 * stays within {@code max.poll.interval.ms}.
 */
public final class TransientFailures {

    /** PostgreSQL SQLStates that a later attempt may not see: lost connection, serialization, deadlock, lock timeout, shutdown. */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03", "57P01", "57P02", "57P03");

    private TransientFailures() {
    }

    /** Whether {@code failure}, or anything that caused it, is on the list. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || TRANSIENT_STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (cause instanceof SchemaRegistryException registry) {
                return registry.isTransient();
            }
            if (cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
                    || cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException
                    || cause instanceof ConnectException || cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Bytes that will never decode (not a registry outage): a dead letter at once. */
    public static boolean isUndecodable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DeserializationException) {
                return !isTransient(failure);
            }
        }
        return false;
    }

    /** The handler's pauses, without its attempt limit. */
    public static BackOff untilItPasses(RetryPolicy policy) {
        ExponentialBackOff backOff = new ExponentialBackOff(policy.initialDelay().toMillis(), policy.multiplier());
        backOff.setMaxInterval(policy.maxDelay().toMillis());
        backOff.setJitter(policy.jitter().toMillis());
        return backOff;
    }
}
