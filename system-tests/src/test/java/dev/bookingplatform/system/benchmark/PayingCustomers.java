package dev.bookingplatform.system.benchmark;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.bookingplatform.stripesim.StripeSimulator;

/**
 * The customers of the benchmark's bookings: each pays as soon as its booking has a checkout URL, as if the
 * gateway had pushed it. They find those bookings in booking-service's database, not through the API, so looking
 * adds no load to what is measured; the checkout URL's time is the row's {@code updated_at}, set by the
 * transaction that stored it (nothing else changes the row until it is paid).
 */
public final class PayingCustomers implements AutoCloseable {

    private final DataSource bookingDatabase;

    private final StripeSimulator stripe;

    private final Set<UUID> waiting = ConcurrentHashMap.newKeySet();

    private final Map<UUID, Instant> checkoutAt = new ConcurrentHashMap<>();

    private final Map<UUID, Instant> paidAt = new ConcurrentHashMap<>();

    private final ExecutorService paying = Executors.newFixedThreadPool(4, OpenLoopArrivals.daemon("benchmark-customer"));

    private final Thread looking;

    private volatile boolean open = true;

    public PayingCustomers(DataSource bookingDatabase, StripeSimulator stripe) {
        this.bookingDatabase = bookingDatabase;
        this.stripe = stripe;
        this.looking = new Thread(this::lookForCheckouts, "benchmark-customers");
        looking.setDaemon(true);
        looking.start();
    }

    /** This booking's customer will pay once its checkout URL is there. */
    public void expect(UUID booking) {
        waiting.add(booking);
    }

    public Map<UUID, Instant> checkoutAt() {
        return Map.copyOf(checkoutAt);
    }

    public Map<UUID, Instant> paidAt() {
        return Map.copyOf(paidAt);
    }

    private void lookForCheckouts() {
        while (open) {
            try {
                if (!waiting.isEmpty()) {
                    payThoseWithACheckoutUrl();
                }
                // A benchmark driver looking every 50 ms: no test framework here, and the look itself is one query.
                Thread.sleep(50);
            }
            catch (InterruptedException ex) {
                return;
            }
            catch (SQLException ex) {
                System.err.println("Looking for checkout URLs failed (" + ex + "); looking again");
            }
        }
    }

    private void payThoseWithACheckoutUrl() throws SQLException {
        try (Connection connection = bookingDatabase.getConnection();
                PreparedStatement ready = connection.prepareStatement("""
                        SELECT id, payment_session_id, updated_at FROM booking
                        WHERE id = ANY (?) AND status = 'AWAITING_PAYMENT' AND checkout_url IS NOT NULL""")) {
            Array ids = connection.createArrayOf("uuid", waiting.toArray());
            ready.setArray(1, ids);
            try (ResultSet rows = ready.executeQuery()) {
                while (rows.next()) {
                    UUID booking = rows.getObject("id", UUID.class);
                    String session = rows.getString("payment_session_id");
                    checkoutAt.put(booking, rows.getTimestamp("updated_at").toInstant());
                    waiting.remove(booking);
                    paying.execute(() -> {
                        paidAt.put(booking, Instant.now());
                        stripe.pay(session);
                    });
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        looking.interrupt();
        looking.join(5_000);
        paying.shutdown();
        paying.awaitTermination(30, TimeUnit.SECONDS);
    }
}
