package dev.bookingplatform.system.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Each booking's moments, read from booking-service's database once the level is over: created (the API's
 * insert), {@code AWAITING_PAYMENT} and {@code CONFIRMED} (the saga's transition history), the checkout URL and
 * the customer's payment (seen by {@link PayingCustomers}).
 */
record SagaTimes(List<Long> toAwaitingPaymentMillis, List<Long> toCheckoutMillis, List<Long> payToConfirmedMillis,
        Instant firstCreated, Instant lastCheckout, Instant lastConfirmed, List<Instant> confirmations) {

    static SagaTimes read(DataSource bookingDatabase, List<UUID> bookings, Map<UUID, Instant> checkoutAt, Map<UUID, Instant> paidAt) {
        JdbcClient jdbc = JdbcClient.create(bookingDatabase);
        Map<UUID, Instant> created = new HashMap<>();
        Map<UUID, Instant> awaiting = new HashMap<>();
        Map<UUID, Instant> confirmedAt = new HashMap<>();
        String[] ids = bookings.stream().map(UUID::toString).toArray(String[]::new);
        jdbc.sql("SELECT id, created_at FROM booking WHERE id = ANY (?::uuid[])").param(ids)
                .query(row -> {
                    created.put(row.getObject("id", UUID.class), row.getTimestamp("created_at").toInstant());
                });
        jdbc.sql("""
                SELECT booking_id, to_status, min(at) AS at FROM booking_transition
                WHERE booking_id = ANY (?::uuid[]) AND accepted AND to_status IN ('AWAITING_PAYMENT', 'CONFIRMED')
                GROUP BY booking_id, to_status""").param(ids)
                .query(row -> {
                    Map<UUID, Instant> into = "CONFIRMED".equals(row.getString("to_status")) ? confirmedAt : awaiting;
                    into.put(row.getObject("booking_id", UUID.class), row.getTimestamp("at").toInstant());
                });
        List<Long> toAwaiting = new ArrayList<>();
        List<Long> toCheckout = new ArrayList<>();
        List<Long> toConfirmed = new ArrayList<>();
        Instant first = Instant.MAX;
        Instant lastCheckout = Instant.MIN;
        Instant lastConfirmed = Instant.MIN;
        for (UUID booking : bookings) {
            Instant start = created.get(booking);
            if (start == null) {
                continue;
            }
            first = min(first, start);
            between(start, awaiting.get(booking), toAwaiting);
            Instant checkout = checkoutAt.get(booking);
            if (checkout != null) {
                between(start, checkout, toCheckout);
                lastCheckout = max(lastCheckout, checkout);
            }
            Instant confirmed = confirmedAt.get(booking);
            if (confirmed != null) {
                between(paidAt.get(booking), confirmed, toConfirmed);
                lastConfirmed = max(lastConfirmed, confirmed);
            }
        }
        toAwaiting.sort(null);
        toCheckout.sort(null);
        toConfirmed.sort(null);
        List<Instant> confirmations = new ArrayList<>(confirmedAt.values());
        confirmations.sort(null);
        return new SagaTimes(toAwaiting, toCheckout, toConfirmed, first, lastCheckout, lastConfirmed, confirmations);
    }

    /** Bookings a second from the first booking's creation to the last one's checkout URL. */
    double checkoutsPerSecond() {
        return toCheckoutMillis.size() / seconds(firstCreated, lastCheckout);
    }

    /**
     * Confirmations a second from {@code from} to {@code to}: given the second half of a level's arrivals, what the saga
     * confirms while bookings keep coming, leaving out the drain at the end, when the API is idle. A level the platform
     * keeps up with gives about its offered rate. Beyond it, the figure is the platform's rate with a backlog and the API
     * busy only once the level lasts longer than bookings wait in queues; in a shorter level it stays far below.
     */
    double confirmationsPerSecondBetween(Instant from, Instant to) {
        long inside = confirmations.stream().filter(at -> !at.isBefore(from) && !at.isAfter(to)).count();
        return inside / seconds(from, to);
    }

    /** How many of the level's bookings were confirmed. */
    int confirmed() {
        return confirmations.size();
    }

    /** Bookings a second from the first booking's creation to the last one's confirmation. */
    double confirmationsPerSecond() {
        return confirmed() / seconds(firstCreated, lastConfirmed);
    }

    static String p50p99(List<Long> sortedMillis) {
        if (sortedMillis.isEmpty()) {
            return "-";
        }
        return percentile(sortedMillis, 0.50) + " / " + percentile(sortedMillis, 0.99);
    }

    static long percentile(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(quantile * (sorted.size() - 1))));
    }

    private static double seconds(Instant from, Instant to) {
        return Math.max(0.001, Duration.between(from, to).toNanos() / 1e9);
    }

    private static void between(Instant from, Instant to, List<Long> into) {
        if (from != null && to != null) {
            into.add(Math.max(0, Duration.between(from, to).toMillis()));
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
