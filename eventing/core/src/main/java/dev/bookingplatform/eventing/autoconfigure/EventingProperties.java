package dev.bookingplatform.eventing.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.bookingplatform.eventing.consumer.RetryPolicy;

/**
 * The eventing library's settings, under {@code bookingplatform.eventing}.
 *
 * @param consumerGroup this service's consumer group; defaults to {@code spring.application.name}
 * @param relay the outbox relay
 * @param consumer the event consumer
 * @param outbox the outbox writer
 */
@ConfigurationProperties("bookingplatform.eventing")
public record EventingProperties(@Nullable String consumerGroup, @DefaultValue Relay relay, @DefaultValue Consumer consumer,
        @DefaultValue Outbox outbox, @DefaultValue Retention retention) {

    /**
     * How long the library's rows are kept.
     *
     * @param outbox published events ({@code outbox_event}): the event history, and how far back a re-publish can go
     * @param inbox processed event ids ({@code processed_event}): must outlast the topics' retention and the outbox's,
     *        or a re-delivered or re-published event would be applied again
     * @param resolvedDeadLetters replayed or skipped dead letters (open ones are kept until ops act)
     * @param interval how often the purge runs
     * @param batchSize rows per statement
     */
    public record Retention(@DefaultValue("true") boolean enabled, @DefaultValue("7d") Duration outbox,
            @DefaultValue("30d") Duration inbox, @DefaultValue("30d") Duration resolvedDeadLetters,
            @DefaultValue("10m") Duration interval, @DefaultValue("5000") int batchSize) {
    }

    /**
     * @param maxEventBytes the largest serialized event the writer accepts: what the topics take
     *        ({@code max.message.bytes}, 1 MiB by default) less a margin for key and headers
     */
    public record Outbox(@DefaultValue("1000000") int maxEventBytes) {
    }

    /**
     * @param enabled whether this replica competes to run the relay
     * @param slotName replication slot; defaults to {@code outbox_<database>}
     * @param pollInterval Debezium's {@code poll.interval.ms}, as {@code RelaySettings.DEFAULT_POLL_INTERVAL}
     * @param heartbeatInterval how often an idle relay confirms its WAL position
     * @param leaderCheckInterval how often a standby tries the relay lock and the leader checks it
     * @param restartBackoff wait before restarting a failed engine
     * @param username a database user of the relay's own (with REPLICATION), so the application's user needs
     *        none; defaults to {@code spring.datasource.username}
     * @param password its password; defaults to {@code spring.datasource.password} when {@code username} is unset
     * @param stallTimeout a batch waiting for Kafka longer than this makes the relay's health DOWN
     * @param offsetFlushInterval how often the relay stores its offset; a crash re-publishes about this much
     * @param stepDownAfter a leader whose batch waits for Kafka longer than this lets go of the relay lock, so a
     *        standby that can reach Kafka may take over
     */
    public record Relay(@DefaultValue("true") boolean enabled, @Nullable String slotName,
            @DefaultValue("25ms") Duration pollInterval, @DefaultValue("10s") Duration heartbeatInterval,
            @DefaultValue("500ms") Duration leaderCheckInterval, @DefaultValue("2s") Duration restartBackoff,
            @Nullable String username, @Nullable String password, @DefaultValue("30s") Duration stallTimeout,
            @DefaultValue("1s") Duration offsetFlushInterval, @DefaultValue("2m") Duration stepDownAfter) {

        /** The password never: the configuration properties end up in logs and in actuator's configprops. */
        @Override
        public String toString() {
            return "Relay[enabled=" + enabled + ", slotName=" + slotName + ", username=" + username + ", password="
                    + (password == null ? null : "<set>") + ", stallTimeout=" + stallTimeout + "]";
        }
    }

    /**
     * @param concurrency consumer threads
     * @param autoOffsetReset where a new consumer group starts: {@code earliest} (nothing missed) or {@code latest}
     * @param stuckAfter a partition retrying one record longer than this is reported (health DOWN, with the record)
     * @param retry how a handler's failure that is not an outage is retried before the dead-letter topic, for handlers
     *        that declare no policy of their own (outages are waited out with the same pauses, without a limit)
     */
    public record Consumer(@DefaultValue("1") int concurrency, @DefaultValue("earliest") String autoOffsetReset,
            @DefaultValue("5m") Duration stuckAfter, @DefaultValue Retry retry) {
    }

    /** The defaults are {@link RetryPolicy#defaults()}: five deliveries over about seven seconds. */
    public record Retry(@DefaultValue("5") int maxAttempts, @DefaultValue("500ms") Duration initialDelay,
            @DefaultValue("2.0") double multiplier, @DefaultValue("10s") Duration maxDelay, @DefaultValue("100ms") Duration jitter) {

        public RetryPolicy policy() {
            return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter);
        }
    }
}
