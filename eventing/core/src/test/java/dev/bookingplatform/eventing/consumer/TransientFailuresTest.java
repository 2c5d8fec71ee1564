package dev.bookingplatform.eventing.consumer;

import java.net.ConnectException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;

import static org.assertj.core.api.Assertions.assertThat;

/** The explicit list of outages, and what is not on it. */
class TransientFailuresTest {

    @Test
    void outagesAreTransientWhereverTheyAreWrapped() {
        assertThat(TransientFailures.isTransient(new ListenerExecutionFailedException("listener",
                new CannotGetJdbcConnectionException("no connection", new SQLException("refused", "08001"))))).isTrue();
        for (String state : new String[] { "08006", "40001", "40P01", "55P03", "57P01" }) {
            assertThat(TransientFailures.isTransient(new RuntimeException(new SQLException("x", state)))).as(state).isTrue();
        }
        assertThat(TransientFailures.isTransient(new CannotAcquireLockException("lock timeout"))).isTrue();
        assertThat(TransientFailures.isTransient(new IllegalStateException(new ConnectException("refused")))).isTrue();
    }

    @Test
    void faultsInTheEventOrTheCodeAreNot() {
        assertThat(TransientFailures.isTransient(new NonRetryableEventException("invalid"))).isFalse();
        assertThat(TransientFailures.isTransient(new RuntimeException(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(TransientFailures.isTransient(new IllegalArgumentException("bad"))).isFalse();
    }

    @Test
    void undecodableBytesAreNotAnOutageButARegistryThatIsAwayIs() {
        DeserializationException garbage = new DeserializationException("bad bytes", new byte[] { 1 }, false,
                new org.apache.kafka.common.errors.SerializationException("not our wire format"));
        assertThat(TransientFailures.isUndecodable(new ListenerExecutionFailedException("x", garbage))).isTrue();
        assertThat(TransientFailures.isTransient(garbage)).isFalse();

        RuntimeException registryAway = org.assertj.core.api.Assertions.catchRuntimeException(() ->
                new dev.bookingplatform.events.registry.RestSchemaRegistryClient(
                        dev.bookingplatform.events.registry.SchemaRegistrySettings.of("http://127.0.0.1:1")).schemaById(1));
        DeserializationException cold = new DeserializationException("registry away", new byte[] { 0, 0, 0, 0, 1 }, false,
                new org.apache.kafka.common.errors.SerializationException("Could not read record", registryAway));
        assertThat(TransientFailures.isTransient(cold)).as("a registry outage on a cold cache waits, %s", registryAway).isTrue();
        assertThat(TransientFailures.isUndecodable(cold)).isFalse();
    }
}
