package dev.bookingplatform.payment.reconciliation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A lease in {@code job_lease} that lets one replica at a time run a job without holding a transaction or a
 * connection while it works (the job calls Stripe). Whoever holds an unexpired lease renews it; a replica
 * that dies lets it run out, and another takes it.
 */
@Component
class JobLease {

    private final JdbcClient jdbc;

    private final Clock clock;

    private final String holder = UUID.randomUUID().toString();

    JobLease(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** True if this replica now holds {@code name} for {@code length}. */
    boolean acquire(String name, Duration length) {
        Timestamp now = Timestamp.from(clock.instant());
        Timestamp until = Timestamp.from(clock.instant().plus(length));
        return jdbc.sql("""
                INSERT INTO job_lease (name, holder, until) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
                WHERE job_lease.holder = excluded.holder OR job_lease.until < ?""")
                .params(name, holder, until, now).update() == 1;
    }

    void release(String name) {
        jdbc.sql("UPDATE job_lease SET until = ? WHERE name = ? AND holder = ?")
                .params(Timestamp.from(clock.instant().minusSeconds(1)), name, holder).update();
    }
}
