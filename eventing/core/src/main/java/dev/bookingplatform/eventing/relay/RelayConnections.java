package dev.bookingplatform.eventing.relay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The relay's own JDBC connections (lock, offsets, slot checks), built from the datasource's full URL so SSL and
 * every other parameter carry over, with timeouts and keepalive added where the URL sets none. Keepalive runs on
 * both ends: the client notices a dead server, and the server, told by {@code tcp_keepalives_*} and
 * {@code tcp_user_timeout}, ends a partitioned session within about 25 s, freeing the relay lock it held instead of
 * keeping it for the kernel's two hours (idle) or its retransmissions' 15 minutes (data in flight).
 */
final class RelayConnections {

    /** A lock check or offset write that cannot finish in this time is treated as a lost connection. */
    static final int SOCKET_TIMEOUT_SECONDS = 20;

    private RelayConnections() {
    }

    static Connection open(RelaySettings settings) throws SQLException {
        return open(settings.jdbcUrl(), settings.user(), settings.password(), settings.engineName());
    }

    static Connection open(String jdbcUrl, String user, String password, String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        // Parameters in the URL win over these (pgjdbc's rule): a deployment can still choose its own.
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
        properties.setProperty("ApplicationName", applicationName);
        Connection connection = DriverManager.getConnection(jdbcUrl, properties);
        try (Statement keepalive = connection.createStatement()) {
            keepalive.execute("SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3");
            // Keepalive only runs on an idle connection. A session the server is sending to when the partition falls
            // (an answer, a notification) is in TCP's retransmission instead, for about 15 minutes; this bounds how
            // long sent data may stay unacknowledged (RelayPartitionIT saw the lock held past 90 s without it).
            keepalive.execute("SET tcp_user_timeout = 25000");
            // A stalled peer never holds us, nor we it, for long: the term raise waits at most this for a zombie's
            // share lock, and a session left in a transaction (a paused zombie) is ended, releasing its locks.
            keepalive.execute("SET lock_timeout = '10s'; SET idle_in_transaction_session_timeout = '30s'");
        }
        catch (SQLException ex) {
            connection.close();
            throw ex;
        }
        return connection;
    }
}
