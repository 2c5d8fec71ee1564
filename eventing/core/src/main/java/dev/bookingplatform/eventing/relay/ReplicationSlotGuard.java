package dev.bookingplatform.eventing.relay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * Refuses to start the relay when its replication slot is gone but offsets say it published before.
 * Debezium would create a fresh slot and carry on from the current WAL position, silently skipping every
 * event written since the slot disappeared.
 */
final class ReplicationSlotGuard {

    private final RelaySettings settings;

    ReplicationSlotGuard(RelaySettings settings) {
        this.settings = settings;
    }

    /**
     * @throws ReplicationSlotMissingException if offsets exist and the slot does not
     */
    void check() {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password())) {
            boolean published = exists(connection, "SELECT 1 FROM relay_offset", null);
            boolean slotExists = exists(connection, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", settings.slotName());
            if (published && !slotExists) {
                throw new ReplicationSlotMissingException(settings.slotName(), settings.database());
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
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password())) {
            if (exists(connection, "SELECT 1 FROM relay_offset", null)
                    || exists(connection, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", settings.slotName())) {
                return;
            }
            try (PreparedStatement create = connection.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
                create.setString(1, settings.slotName());
                create.execute();
            }
        }
        catch (SQLException ex) {
            if (DUPLICATE_OBJECT.equals(ex.getSQLState())) {
                return;
            }
            throw new IllegalStateException("Could not create replication slot '" + settings.slotName() + "' on database "
                    + settings.database() + " (the database user needs the REPLICATION attribute)", ex);
        }
    }

    /** SQLState of {@code pg_create_logical_replication_slot} when another replica created the slot first. */
    private static final String DUPLICATE_OBJECT = "42710";

    private static boolean exists(Connection connection, String sql, @Nullable String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setString(1, parameter);
            }
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    /** The slot the relay published from has disappeared; events may be lost unless someone acts. */
    static final class ReplicationSlotMissingException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        ReplicationSlotMissingException(String slot, String database) {
            super("Replication slot '" + slot + "' of database " + database + " is missing although the relay has"
                    + " published from it before. Events written since it disappeared are not in the WAL stream any"
                    + " more; the relay will not start until an operator recreates the slot or resets relay_offset"
                    + " after re-publishing the outbox rows since the last published one.");
        }
    }
}
