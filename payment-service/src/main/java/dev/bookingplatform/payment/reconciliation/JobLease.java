package dev.bookingplatform.payment.reconciliation;

import java.time.Duration;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A lease in {@code job_lease} that lets one replica at a time run a job without holding a transaction or a
 * connection while it works (the job calls Stripe). Whoever holds an unexpired lease renews it; a replica
 * that dies lets it run out, and another takes it. Expiry is the database's time, not a replica's: two pods'
 * clocks may disagree by more than a lease lasts, and the one running ahead would take a lease still held.
 */
@Component
class JobLease {

    private final JdbcClient jdbc;

    private final String holder = UUID.randomUUID().toString();

    JobLease(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** True if this replica now holds {@code name} for {@code length}. */
    boolean acquire(String name, Duration length) {
        return jdbc.sql("""
                INSERT INTO job_lease (name, holder, until) VALUES (?, ?, clock_timestamp() + ? * interval '1 millisecond')
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
                WHERE job_lease.holder = excluded.holder OR job_lease.until < clock_timestamp()""")
                .params(name, holder, length.toMillis()).update() == 1;
    }

    void release(String name) {
        jdbc.sql("UPDATE job_lease SET until = clock_timestamp() - interval '1 second' WHERE name = ? AND holder = ?")
                .params(name, holder).update();
    }
}
