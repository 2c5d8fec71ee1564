package dev.bookingplatform.eventing.relay;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * In a JVM of its own: opens a relay connection ({@link RelayConnections}, with its timeouts), listens on a channel and
 * takes an advisory lock, then holds it until killed. Args: {@code jdbcUrl user password channel lockKey}.
 */
public final class LockHolderMain {

    private LockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
        Connection connection = RelayConnections.open(args[0], args[1], args[2], "lock-holder");
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + args[3]);
            statement.execute("SELECT pg_advisory_lock(" + Long.parseLong(args[4]) + ")");
        }
        System.out.println("holding");
        new CountDownLatch(1).await();
    }
}
