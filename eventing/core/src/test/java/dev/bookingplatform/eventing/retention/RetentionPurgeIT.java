package dev.bookingplatform.eventing.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.bookingplatform.eventing.schema.EventingSchema;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention on a real database: rows past their period go, younger ones and open dead letters stay, masking
 * touches only what is old and only once; two replicas purging at the same moment share the work, neither
 * blocks the other, and together they delete each old row exactly once. Counts are seeded; the seed is printed.
 */
@RealInfrastructure
class RetentionPurgeIT {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    @Test
    void twoReplicasPurgingAtOnceDeleteEveryOldRowOnceAndKeepTheRest(PostgresDatabase database) throws Exception {
        long seed = System.nanoTime();
        System.out.println("RetentionPurgeIT seed: " + seed);
        Random random = new Random(seed);
        DataSource dataSource = database.dataSource();
        EventingSchema.migrate(dataSource);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("TRUNCATE outbox_event, processed_event, dead_letter CASCADE");
        int oldOutbox = 500 + random.nextInt(1_500);
        int youngOutbox = 10 + random.nextInt(100);
        int oldInbox = 500 + random.nextInt(1_500);
        int youngInbox = 10 + random.nextInt(100);
        insertOutbox(jdbc, oldOutbox, "8 days");
        insertOutbox(jdbc, youngOutbox, "6 days");
        jdbc.update("INSERT INTO processed_event (consumer_group, event_id, processed_at) SELECT 'g', gen_random_uuid(),"
                + " ?::timestamptz - interval '31 days' FROM generate_series(1, ?)", java.sql.Timestamp.from(NOW), oldInbox);
        jdbc.update("INSERT INTO processed_event (consumer_group, event_id, processed_at) SELECT 'g', gen_random_uuid(),"
                + " ?::timestamptz - interval '29 days' FROM generate_series(1, ?)", java.sql.Timestamp.from(NOW), youngInbox);
        long resolvedOld = deadLetter(jdbc, "REPLAYED", "40 days", null);
        long open = deadLetter(jdbc, "DEAD", "40 days", null);
        long parkedBehindPurged = deadLetter(jdbc, "PARKED", "40 days", resolvedOld);
        long resolvedYoung = deadLetter(jdbc, "SKIPPED", "2 days", null);
        jdbc.update("INSERT INTO dead_letter_action (dead_letter_id, action, actor, reason, outcome) VALUES (?, 'REPLAY', 'ops', 'r', 'APPLIED')",
                resolvedOld);
        // A service's masking rule too (booking's personal data of long-ended bookings): masked once, by one replica.
        jdbc.execute("DROP TABLE IF EXISTS ended_booking");
        jdbc.execute("CREATE TABLE ended_booking (id int PRIMARY KEY, email text NOT NULL, ended_at timestamptz NOT NULL)");
        int oldEnded = 300 + random.nextInt(700);
        int youngEnded = 10 + random.nextInt(100);
        jdbc.update("INSERT INTO ended_booking SELECT n, 'customer' || n || '@example.com', ?::timestamptz - interval '91 days'"
                + " FROM generate_series(1, ?) n", java.sql.Timestamp.from(NOW), oldEnded);
        jdbc.update("INSERT INTO ended_booking SELECT n, 'customer' || n || '@example.com', ?::timestamptz - interval '89 days'"
                + " FROM generate_series(?, ?) n", java.sql.Timestamp.from(NOW), oldEnded + 1, oldEnded + youngEnded);

        int batch = 1 + random.nextInt(200);
        List<RetentionRule> rules = List.of(
                RetentionRule.delete("outbox", "outbox_event", "recorded_at", Duration.ofDays(7), null),
                RetentionRule.delete("inbox", "processed_event", "processed_at", Duration.ofDays(30), null),
                RetentionRule.delete("resolved-dead-letters", "dead_letter", "resolved_at", Duration.ofDays(30),
                        "resolved_at IS NOT NULL"),
                RetentionRule.mask("ended-bookings", "ended_booking", "ended_at", Duration.ofDays(90), "email <> 'erased'",
                        "email = 'erased'"));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        RetentionPurge first = new RetentionPurge(dataSource, rules, clock, batch, (rule, count) -> { });
        RetentionPurge second = new RetentionPurge(dataSource, rules, clock, batch, (rule, count) -> { });
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<Map<String, Integer>>> runs = new ArrayList<>();
        for (RetentionPurge replica : List.of(first, second)) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await(10, TimeUnit.SECONDS);
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
                return replica.run();
            }));
        }
        Map<String, Integer> a = runs.get(0).get(60, TimeUnit.SECONDS);
        Map<String, Integer> b = runs.get(1).get(60, TimeUnit.SECONDS);

        assertThat(a.get("outbox") + b.get("outbox")).as("seed %d", seed).isEqualTo(oldOutbox);
        assertThat(a.get("inbox") + b.get("inbox")).as("seed %d", seed).isEqualTo(oldInbox);
        assertThat(a.get("resolved-dead-letters") + b.get("resolved-dead-letters")).isEqualTo(1);
        assertThat(a.get("ended-bookings") + b.get("ended-bookings")).as("masked, each once; seed %d", seed).isEqualTo(oldEnded);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ended_booking WHERE email = 'erased'", Integer.class)).isEqualTo(oldEnded);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ended_booking WHERE email <> 'erased' AND ended_at > ?::timestamptz"
                + " - interval '90 days'", Integer.class, java.sql.Timestamp.from(NOW))).as("young rows untouched").isEqualTo(youngEnded);
        assertThat(count(jdbc, "outbox_event")).isEqualTo(youngOutbox);
        assertThat(count(jdbc, "processed_event")).isEqualTo(youngInbox);
        assertThat(jdbc.queryForList("SELECT id FROM dead_letter ORDER BY id", Long.class))
                .containsExactly(open, parkedBehindPurged, resolvedYoung);
        assertThat(jdbc.queryForObject("SELECT parked_behind FROM dead_letter WHERE id = ?", Long.class, parkedBehindPurged)).isNull();
        assertThat(count(jdbc, "dead_letter_action")).isZero();
        assertThat(first.run().values()).as("nothing left to do").containsOnly(0);
    }

    @Test
    void maskingTouchesOnlyOldRowsAndOnlyOnce(PostgresDatabase database) {
        DataSource dataSource = database.dataSource();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE customer_row (id int PRIMARY KEY, email text NOT NULL, ended_at timestamptz NOT NULL)");
        jdbc.update("INSERT INTO customer_row VALUES (1, 'old@example.com', ?::timestamptz - interval '91 days'),"
                + " (2, 'young@example.com', ?::timestamptz - interval '89 days')", java.sql.Timestamp.from(NOW),
                java.sql.Timestamp.from(NOW));
        RetentionPurge purge = new RetentionPurge(dataSource, List.of(RetentionRule.mask("personal-data", "customer_row", "ended_at",
                Duration.ofDays(90), "email <> 'erased'", "email = 'erased'")), Clock.fixed(NOW, ZoneOffset.UTC), 10, (rule, count) -> { });

        assertThat(purge.run()).containsEntry("personal-data", 1);
        assertThat(purge.run()).containsEntry("personal-data", 0);
        assertThat(jdbc.queryForList("SELECT email FROM customer_row ORDER BY id", String.class))
                .containsExactly("erased", "young@example.com");
        assertThat(purge.totals()).containsEntry("personal-data", 1L);
    }

    private static void insertOutbox(JdbcTemplate jdbc, int rows, String age) {
        jdbc.update("""
                INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, correlation_id, occurred_at,
                  recorded_at)
                SELECT gen_random_uuid(), 'booking.events', 'b', 'BookingRequested', '\\x00'::bytea, 'c', now(),
                  ?::timestamptz - ?::interval FROM generate_series(1, ?)""", java.sql.Timestamp.from(NOW), age, rows);
    }

    private static long deadLetter(JdbcTemplate jdbc, String status, String age, Long behind) {
        boolean resolved = status.equals("REPLAYED") || status.equals("SKIPPED");
        return jdbc.queryForObject("""
                INSERT INTO dead_letter (consumer_group, record_key, original_topic, original_partition, original_offset, status,
                  parked_behind, dead_lettered_at, resolved_at)
                VALUES ('g', 'k', 't', 0, nextval(pg_get_serial_sequence('dead_letter', 'id')), ?, ?,
                  ?::timestamptz - ?::interval, CASE WHEN ? THEN ?::timestamptz - ?::interval END) RETURNING id""", Long.class,
                status, behind, java.sql.Timestamp.from(NOW), age, resolved, java.sql.Timestamp.from(NOW), age);
    }

    private static long count(JdbcTemplate jdbc, String table) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
    }
}
