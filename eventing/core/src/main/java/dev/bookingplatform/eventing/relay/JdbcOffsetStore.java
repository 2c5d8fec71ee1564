package dev.bookingplatform.eventing.relay;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium's offsets in the service's own database ({@code relay_offset}), so a service's state is its
 * database alone. The engine saves only offsets of records whose publication Kafka acknowledged.
 */
public final class JdbcOffsetStore extends MemoryOffsetBackingStore {

    static final String URL = "offset.storage.jdbc.url";

    static final String USER = "offset.storage.jdbc.user";

    static final String PASSWORD = "offset.storage.jdbc.password";

    private static final String UPSERT = """
            INSERT INTO relay_offset (offset_key, offset_value, updated_at) VALUES (?, ?, now())
            ON CONFLICT (offset_key) DO UPDATE SET offset_value = excluded.offset_value, updated_at = now()""";

    private String url = "";

    private String user = "";

    private String password = "";

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Map<String, String> originals = config.originalsStrings();
        url = required(originals, URL);
        user = required(originals, USER);
        password = originals.getOrDefault(PASSWORD, "");
    }

    @Override
    public synchronized void start() {
        super.start();
        Map<ByteBuffer, ByteBuffer> loaded = new HashMap<>();
        try (Connection connection = connect();
                PreparedStatement select = connection.prepareStatement("SELECT offset_key, offset_value FROM relay_offset");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                loaded.put(ByteBuffer.wrap(rows.getBytes(1)), ByteBuffer.wrap(rows.getBytes(2)));
            }
        }
        catch (SQLException ex) {
            throw new ConnectException("Could not read the relay offsets from relay_offset at " + url, ex);
        }
        data.putAll(loaded);
    }

    @Override
    protected void save() {
        try (Connection connection = connect(); PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            connection.setAutoCommit(false);
            for (Map.Entry<ByteBuffer, ByteBuffer> entry : data.entrySet()) {
                upsert.setBytes(1, bytes(entry.getKey()));
                upsert.setBytes(2, bytes(entry.getValue()));
                upsert.addBatch();
            }
            upsert.executeBatch();
            connection.commit();
        }
        catch (SQLException ex) {
            throw new ConnectException("Could not save the relay offsets to relay_offset at " + url, ex);
        }
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        // Only Connect's offset-management REST API asks for this; the embedded engine never does.
        return Set.of();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
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
