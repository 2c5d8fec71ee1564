package dev.bookingplatform.eventing.relay;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Everything the relay needs: where the database and the broker are, and how to tune it.
 *
 * @param host database host
 * @param port database port
 * @param database the service's database, holding the outbox
 * @param user a user allowed to replicate (REPLICATION attribute or superuser)
 * @param password its password
 * @param jdbcUrl the full JDBC URL, with the datasource's parameters (SSL, timeouts): the relay's own
 *        connections (lock, offsets, slot checks) are built from it
 * @param kafka the producer's client settings: bootstrap servers and every {@code spring.kafka.*} setting
 *        (TLS, SASL) the application has
 * @param slotName the logical replication slot; unique across the whole PostgreSQL cluster
 * @param pollInterval how long the engine waits for new changes before handing a batch over
 * @param heartbeatInterval how often an idle relay confirms its WAL position so the slot does not pin WAL
 * @param leaderCheckInterval how often a standby tries to become leader and the leader checks its lock
 * @param restartBackoff wait before restarting the engine after a failure
 * @param offsetFlushInterval how often the engine stores its offset (and confirms it to the slot); a crash
 *        re-publishes at most about this much, which the inbox drops
 * @param stepDownAfter a leader whose batch waits for Kafka longer than this steps down (lets go of the lock), so a
 *        standby that can reach Kafka may take over
 */
public record RelaySettings(String host, int port, String database, String user, String password, String jdbcUrl,
        Map<String, Object> kafka, String slotName, Duration pollInterval, Duration heartbeatInterval,
        Duration leaderCheckInterval, Duration restartBackoff, Duration offsetFlushInterval, Duration stepDownAfter) {

    public static final String PUBLICATION = "outbox_publication";

    public RelaySettings {
        kafka = Map.copyOf(kafka);
        if (!kafka.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("The relay's Kafka settings name no bootstrap.servers");
        }
    }

    /**
     * Without the password, the URL's parameters (a password may be one) or the Kafka settings' values (SASL's JAAS
     * line holds one): a settings object ends up in a log line or a debugger sooner or later.
     */
    @Override
    public String toString() {
        return "RelaySettings[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                + ", jdbcUrl=" + jdbcUrl.replaceFirst("\\?.*", "?...") + ", kafka=" + new java.util.TreeSet<>(kafka.keySet())
                + ", slotName=" + slotName + ", pollInterval=" + pollInterval + ", heartbeatInterval=" + heartbeatInterval
                + ", leaderCheckInterval=" + leaderCheckInterval + ", restartBackoff=" + restartBackoff
                + ", offsetFlushInterval=" + offsetFlushInterval + ", stepDownAfter=" + stepDownAfter + "]";
    }

    /**
     * How long Debezium gathers changes into a batch; {@code bookingplatform.eventing.relay.poll-interval} has the same
     * default. Not shorter: Debezium spins through the last millisecond of every interval (the README's relay tuning).
     */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(25);

    /** Defaults tuned for latency; see the README's relay section for why each value. */
    public static RelaySettings of(String host, int port, String database, String user, String password,
            String bootstrapServers) {
        return new RelaySettings(host, port, database, user, password,
                "jdbc:postgresql://" + host + ":" + port + "/" + database,
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), defaultSlotName(database),
                DEFAULT_POLL_INTERVAL, Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofMinutes(2));
    }

    /** The same connection, tuned differently. */
    public RelaySettings withTuning(String slot, Duration poll, Duration heartbeat, Duration leaderCheck, Duration backoff) {
        return new RelaySettings(host, port, database, user, password, jdbcUrl, kafka, slot, poll, heartbeat,
                leaderCheck, backoff, offsetFlushInterval, stepDownAfter);
    }

    /** The same relay, connecting with the datasource's full URL and the application's Kafka client settings. */
    public RelaySettings withClients(String fullJdbcUrl, Map<String, Object> kafkaClient) {
        return new RelaySettings(host, port, database, user, password, fullJdbcUrl, kafkaClient, slotName, pollInterval,
                heartbeatInterval, leaderCheckInterval, restartBackoff, offsetFlushInterval, stepDownAfter);
    }

    /** The same relay, storing its offset at another interval. */
    public RelaySettings withOffsetFlushInterval(Duration interval) {
        return new RelaySettings(host, port, database, user, password, jdbcUrl, kafka, slotName, pollInterval,
                heartbeatInterval, leaderCheckInterval, restartBackoff, interval, stepDownAfter);
    }

    /** The same relay, stepping down after another wait for Kafka. */
    public RelaySettings withStepDownAfter(Duration wait) {
        return new RelaySettings(host, port, database, user, password, jdbcUrl, kafka, slotName, pollInterval,
                heartbeatInterval, leaderCheckInterval, restartBackoff, offsetFlushInterval, wait);
    }

    public String bootstrapServers() {
        return String.valueOf(kafka.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    /** The Debezium engine's name: offsets are stored under it. */
    public String engineName() {
        return "outbox-relay-" + database;
    }

    /**
     * Fixed per database, so the broker fences a zombie leader's producer the moment a new leader's producer
     * starts with the same id.
     */
    public String transactionalId() {
        return engineName();
    }

    /** Slots are cluster-wide, databases are not: one slot per database keeps services apart. */
    static String defaultSlotName(String database) {
        return ("outbox_" + database.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_"));
    }
}
