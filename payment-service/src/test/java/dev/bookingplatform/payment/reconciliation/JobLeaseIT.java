package dev.bookingplatform.payment.reconciliation;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bookingplatform.testsupport.MovableClock;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.spring.MovableClockConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciliation lease between two replicas whose clocks disagree, as two pods' clocks may: when the one asking
 * runs ten minutes ahead of the one that took the lease for three, it must still find the lease held. Expiry is the
 * database's time; a lease on the replicas' clock (this service's clock, moved here) gave the lease away.
 */
@SpringBootTest(properties = { "spring.config.name=payment-service", "bookingplatform.stripe.api-key=sk_test_job_lease",
        "bookingplatform.stripe.webhook-secrets=whsec_job_lease", "bookingplatform.stripe.reconciliation.enabled=false" })
@RealInfrastructure
@Import(MovableClockConfiguration.class)
@Timeout(120)
class JobLeaseIT {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JobLease first;

    @Autowired
    MovableClock clock;

    @Test
    void aReplicaWhoseClockRunsAheadDoesNotTakeALeaseAnotherHolds() {
        JobLease other = new JobLease(jdbc);

        assertThat(first.acquire("skewed-job", Duration.ofMinutes(3))).as("the first replica takes the lease").isTrue();
        clock.advance(Duration.ofMinutes(10));
        assertThat(other.acquire("skewed-job", Duration.ofMinutes(3))).as("a replica ten minutes ahead, while it is held")
                .isFalse();
        assertThat(first.acquire("skewed-job", Duration.ofMinutes(3))).as("its holder renews it").isTrue();

        first.release("skewed-job");
        assertThat(other.acquire("skewed-job", Duration.ofMinutes(3))).as("once released, the other takes it").isTrue();
        assertThat(first.acquire("skewed-job", Duration.ofMinutes(3))).as("and now holds it").isFalse();
    }
}
