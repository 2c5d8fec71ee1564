package dev.bookingplatform.eventing.relay;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;
import org.apache.kafka.connect.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Debezium's offsets in the service's own database ({@code relay_offset}), so a service's state is its
 * database alone. The engine saves only offsets of records whose publication Kafka acknowledged.
 *
 * <p>Every write is conditional on the writer's leader term: it share-locks {@code relay_leader} and is refused
 * when a newer leader raised the term, so a zombie cannot move the offset (backwards or anywhere). One connection
 * lives as long as the engine; a new one per flush cost the relay about a millisecond a batch.
 */
public final class JdbcOffsetStore extends MemoryOffsetBackingStore {

    static final String URL = "offset.storage.jdbc.url";

    static final String USER = "offset.storage.jdbc.user";

    static final String PASSWORD = "offset.storage.jdbc.password";

    static final String TERM = "offset.storage.jdbc.term";

    private static final String UPSERT = """
            INSERT INTO relay_offset (offset_key, offset_value, updated_at) VALUES (?, ?, now())
            ON CONFLICT (offset_key) DO UPDATE SET offset_value = excluded.offset_value, updated_at = now()""";

    private String url = "";

    private String user = "";

    private String password = "";

    private long term;

    private @Nullable Connection connection;

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Map<String, String> originals = config.originalsStrings();
        url = required(originals, URL);
        user = required(originals, USER);
        password = originals.getOrDefault(PASSWORD, "");
        term = Long.parseLong(required(originals, TERM));
    }

    @Override
    public synchronized void start() {
        super.start();
        Map<ByteBuffer, ByteBuffer> loaded = new HashMap<>();
        try (PreparedStatement select = connection().prepareStatement("SELECT offset_key, offset_value FROM relay_offset");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                loaded.put(ByteBuffer.wrap(rows.getBytes(1)), ByteBuffer.wrap(rows.getBytes(2)));
            }
        }
        catch (SQLException ex) {
            closeConnection();
            throw new ConnectException("Could not read the relay offsets from relay_offset at " + url, ex);
        }
        data.putAll(loaded);
    }

    @Override
    public synchronized void stop() {
        super.stop();
        closeConnection();
    }

    /**
     * Stores first and only then takes the values as current: Kafka's own order (take, then store) lets a refused
     * write still reach the slot, because the engine confirms to the slot what the store holds in memory when it
     * stops, and the slot would then be ahead of what is stored.
     */
    @Override
    public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, @Nullable Callback<Void> callback) {
        return executor.submit(() -> {
            try {
                persist(values);
                data.putAll(values);
            }
            catch (RuntimeException ex) {
                if (callback != null) {
                    callback.onCompletion(ex, null);
                }
                throw ex;
            }
            if (callback != null) {
                callback.onCompletion(null, null);
            }
            return null;
        });
    }

    @Override
    protected void save() {
        persist(data);
    }

    private synchronized void persist(Map<ByteBuffer, ByteBuffer> values) {
        try {
            Connection db = connection();
            db.setAutoCommit(false);
            try {
                checkTerm(db);
                try (PreparedStatement upsert = db.prepareStatement(UPSERT)) {
                    for (Map.Entry<ByteBuffer, ByteBuffer> entry : values.entrySet()) {
                        upsert.setBytes(1, bytes(entry.getKey()));
                        upsert.setBytes(2, bytes(entry.getValue()));
                        upsert.addBatch();
                    }
                    upsert.executeBatch();
                }
                db.commit();
            }
            catch (SQLException | RuntimeException ex) {
                db.rollback();
                throw ex;
            }
        }
        catch (SQLException ex) {
            closeConnection();
            throw new ConnectException("Could not save the relay offsets to relay_offset at " + url, ex);
        }
    }

    private void checkTerm(Connection db) throws SQLException {
        try (PreparedStatement current = db.prepareStatement("SELECT term FROM relay_leader WHERE id = 1 FOR SHARE");
                ResultSet result = current.executeQuery()) {
            long leading = result.next() ? result.getLong(1) : -1;
            if (leading != term) {
                throw new RelayFencedException("Relay offsets of term " + term + " refused: term " + leading
                        + " leads the relay of this database now");
            }
        }
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        // Only Connect's offset-management REST API asks for this; the embedded engine never does.
        return Set.of();
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = RelayConnections.open(url, user, password, "outbox-relay-offsets");
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            }
            catch (SQLException ignored) {
                // The connection is being thrown away; nothing to recover.
            }
            connection = null;
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    private static String required(Map<String, String> config, String key) {
        String value = config.get(key);
        if (value == null || value.isBlank()) {
            throw new ConnectException("JdbcOffsetStore needs '" + key + "'");
        }
        return value;
    }
}
