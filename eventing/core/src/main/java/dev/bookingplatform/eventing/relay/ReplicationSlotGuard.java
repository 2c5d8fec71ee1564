package dev.bookingplatform.eventing.relay;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Refuses to start the relay when its replication slot cannot give it every event after its stored offset: the
 * slot is gone (Debezium would create a fresh one at the current WAL position, silently skipping every event
 * written since), or the slot has confirmed a position past the stored offset (it was recreated or advanced by
 * hand). The refusal names the outbox sequence to re-publish from, which loses nothing.
 */
final class ReplicationSlotGuard {

    /**
     * How far before the last offset save re-publishing starts: longer than any transaction writing the outbox,
     * since sequence numbers are taken at insert and rows become visible at commit.
     */
    static final Duration REPUBLISH_MARGIN = Duration.ofMinutes(10);

    private static final Pattern OFFSET_TIME = Pattern.compile("\"ts_usec\"\\s*:\\s*(\\d+)");

    private static final Pattern OFFSET_LSN = Pattern.compile("\"lsn(?:_proc|_commit)?\"\\s*:\\s*(\\d+)");

    /** SQLState of {@code pg_create_logical_replication_slot} when another replica created the slot first. */
    private static final String DUPLICATE_OBJECT = "42710";

    private final RelaySettings settings;

    ReplicationSlotGuard(RelaySettings settings) {
        this.settings = settings;
    }

    /**
     * @throws ReplicationSlotMissingException if offsets exist and the slot does not, or is ahead of them
     */
    void check() {
        try (Connection connection = RelayConnections.open(settings)) {
            @Nullable BigDecimal storedLsn = storedLsn(connection);
            if (storedLsn == null) {
                return;
            }
            if ("lost".equals(slotWalStatus(connection))) {
                throw new ReplicationSlotMissingException(settings, "was invalidated (the WAL it needed was removed)",
                        republishFrom(connection));
            }
            @Nullable BigDecimal confirmed = slotConfirmedFlush(connection);
            if (confirmed == null) {
                throw new ReplicationSlotMissingException(settings, "is missing", republishFrom(connection));
            }
            if (confirmed.compareTo(storedLsn) > 0) {
                throw new ReplicationSlotMissingException(settings, "has confirmed WAL position " + confirmed
                        + " beyond the relay's stored offset " + storedLsn + " (recreated or advanced by hand)",
                        republishFrom(connection));
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not check replication slot '" + settings.slotName()
                    + "' on database " + settings.database(), ex);
        }
    }

    /**
     * Creates the slot if the relay never published from this database, so the slot exists before the outbox's
     * first row and the relay streams every row, in commit order, with no initial snapshot (whose unordered
     * read of the table broke per-key order). Never recreates a slot that was lost after publishing: that is
     * {@link #check}'s to refuse. Safe to call from every replica at once.
     */
    void createIfNeverPublished() {
        try (Connection connection = RelayConnections.open(settings)) {
            if (exists(connection, "SELECT 1 FROM relay_offset") || slotExists(connection)) {
                return;
            }
            createSlot(connection, settings.slotName());
        }
        catch (SQLException ex) {
            if (DUPLICATE_OBJECT.equals(ex.getSQLState())) {
                return;
            }
            throw new IllegalStateException("Could not create replication slot '" + settings.slotName() + "' on database "
                    + settings.database() + " (the database user needs the REPLICATION attribute)", ex);
        }
    }

    /**
     * Creates a logical slot. Creation waits for every transaction running at that moment to end, a lock wait in
     * PostgreSQL's eyes: the relay connections' {@code lock_timeout} must not cut it short on a busy database.
     */
    static void createSlot(Connection connection, String slotName) throws SQLException {
        try (Statement wait = connection.createStatement()) {
            wait.execute("SET lock_timeout = 0");
        }
        try (PreparedStatement create = connection.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
            create.setString(1, slotName);
            create.execute();
        }
    }

    /** True if offsets are stored and the slot (if any) has confirmed a position beyond them. */
    boolean storedOffsetBehindSlot(Connection connection) throws SQLException {
        BigDecimal stored = storedLsn(connection);
        BigDecimal confirmed = slotConfirmedFlush(connection);
        return stored != null && confirmed != null && confirmed.compareTo(stored) > 0;
    }

    /** The highest WAL position in the stored offsets, or null if the relay never stored one. */
    private static @Nullable BigDecimal storedLsn(Connection connection) throws SQLException {
        BigDecimal highest = null;
        try (PreparedStatement select = connection.prepareStatement("SELECT offset_value FROM relay_offset");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                Matcher lsn = OFFSET_LSN.matcher(new String(rows.getBytes(1), StandardCharsets.UTF_8));
                while (lsn.find()) {
                    BigDecimal value = new BigDecimal(lsn.group(1));
                    highest = highest == null || value.compareTo(highest) > 0 ? value : highest;
                }
            }
        }
        return highest;
    }

    private @Nullable BigDecimal slotConfirmedFlush(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT confirmed_flush_lsn - '0/0'::pg_lsn FROM pg_replication_slots WHERE slot_name = ?")) {
            select.setString(1, settings.slotName());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getBigDecimal(1) : null;
            }
        }
    }

    private @Nullable String slotWalStatus(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT wal_status FROM pg_replication_slots WHERE slot_name = ?")) {
            select.setString(1, settings.slotName());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private boolean slotExists(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            select.setString(1, settings.slotName());
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /**
     * The first row recorded since the stored position was committed, minus the margin: everything committed after
     * what the relay last published is at or after it. Anchored on the position's own commit time (the offset's
     * {@code ts_usec}), not on when the offset was saved: a lagging relay saves often while its position is far
     * behind. If nothing was recorded since, the next sequence number; if nothing was ever stored, the first row.
     */
    static long republishFrom(Connection connection) throws SQLException {
        Instant anchor = storedPositionTime(connection);
        if (anchor == null) {
            // Nothing stored: the slot may owe every row since it was created. From the first row kept.
            try (PreparedStatement first = connection.prepareStatement("SELECT coalesce(min(seq), 1) FROM outbox_event");
                    ResultSet row = first.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT coalesce(
                    (SELECT min(seq) FROM outbox_event WHERE recorded_at >= ?::timestamptz - make_interval(secs => ?)),
                    (SELECT coalesce(max(seq), 0) + 1 FROM outbox_event))""")) {
            select.setObject(1, java.time.OffsetDateTime.ofInstant(anchor, java.time.ZoneOffset.UTC));
            select.setLong(2, REPUBLISH_MARGIN.toSeconds());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /**
     * When the stored position's transaction committed: the highest {@code ts_usec} in the offsets, else (an
     * offset without one) when the offset was saved; null if the relay never stored one.
     */
    private static @Nullable Instant storedPositionTime(Connection connection) throws SQLException {
        Instant saved = null;
        Long micros = null;
        try (PreparedStatement select = connection.prepareStatement("SELECT offset_value, updated_at FROM relay_offset");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                Matcher timestamp = OFFSET_TIME.matcher(new String(rows.getBytes(1), StandardCharsets.UTF_8));
                while (timestamp.find()) {
                    long value = Long.parseLong(timestamp.group(1));
                    micros = micros == null ? value : Math.max(micros, value);
                }
                Instant updated = rows.getTimestamp(2).toInstant();
                saved = saved == null || updated.isAfter(saved) ? updated : saved;
            }
        }
        if (micros != null) {
            return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000);
        }
        return saved;
    }

    private static boolean exists(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet result = statement.executeQuery()) {
            return result.next();
        }
    }

    /** The slot cannot give the relay every event after its offset; events may be lost unless someone acts. */
    static final class ReplicationSlotMissingException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        private final long republishFrom;

        ReplicationSlotMissingException(RelaySettings settings, String problem, long republishFrom) {
            super("Replication slot '" + settings.slotName() + "' of database " + settings.database() + " " + problem
                    + ", although the relay has published from it before: events written meanwhile are not in its"
                    + " stream. The relay will not start on it. To restore every event, re-publish the outbox from"
                    + " sequence " + republishFrom + " (the first row recorded since the relay's last published position, minus "
                    + REPUBLISH_MARGIN.toMinutes() + " minutes): POST /ops/relay/republish {\"fromSequence\": "
                    + republishFrom + ", \"reason\": \"...\"}. That recreates the slot if needed and publishes every row"
                    + " from there in order; consumers drop what they already had. Do not recreate the slot by hand:"
                    + " that skips exactly these events.");
            this.republishFrom = republishFrom;
        }

        long republishFrom() {
            return republishFrom;
        }
    }
}
