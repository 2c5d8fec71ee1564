package dev.bookingplatform.eventing.relay;

import java.time.Duration;
import java.util.Locale;

/**
 * Everything the relay needs: where the database and the broker are, and how to tune it.
 *
 * @param host database host
 * @param port database port
 * @param database the service's database, holding the outbox
 * @param user a user allowed to replicate (REPLICATION attribute or superuser)
 * @param password its password
 * @param bootstrapServers the Kafka cluster to publish to
 * @param slotName the logical replication slot; unique across the whole PostgreSQL cluster
 * @param pollInterval how long the engine waits for new changes before handing a batch over
 * @param heartbeatInterval how often an idle relay confirms its WAL position so the slot does not pin WAL
 * @param leaderCheckInterval how often a standby tries to become leader and the leader checks its lock
 * @param restartBackoff wait before restarting the engine after a failure
 */
public record RelaySettings(String host, int port, String database, String user, String password,
        String bootstrapServers, String slotName, Duration pollInterval, Duration heartbeatInterval,
        Duration leaderCheckInterval, Duration restartBackoff) {

    public static final String PUBLICATION = "outbox_publication";

    /** Defaults tuned for latency; see the README's relay section for why each value. */
    public static RelaySettings of(String host, int port, String database, String user, String password,
            String bootstrapServers) {
        return new RelaySettings(host, port, database, user, password, bootstrapServers, defaultSlotName(database),
                Duration.ofMillis(5), Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofSeconds(2));
    }

    /** The same connection, tuned differently. */
    public RelaySettings withTuning(String slot, Duration poll, Duration heartbeat, Duration leaderCheck, Duration backoff) {
        return new RelaySettings(host, port, database, user, password, bootstrapServers, slot, poll, heartbeat,
                leaderCheck, backoff);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The Debezium engine's name: offsets are stored under it. */
    public String engineName() {
        return "outbox-relay-" + database;
    }

    /** Slots are cluster-wide, databases are not: one slot per database keeps services apart. */
    static String defaultSlotName(String database) {
        return ("outbox_" + database.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_"));
    }
}
