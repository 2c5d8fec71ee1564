package dev.bookingplatform.booking;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.spring.ServiceProbe;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.config.name=booking-service")
@RealInfrastructure
@Timeout(120)
class BookingServiceApplicationIT {

    @Autowired
    ServiceProbe probe;

    @Test
    void startsOnRealPostgresAndKafkaWithItsSchemaMigrated() {
        assertThat(probe.appliedMigrations()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
        assertThat(probe.tableExists("customer_erasure")).isTrue();
        assertThat(probe.tableExists("audit_entry")).isTrue();
        assertThat(probe.tableExists("booking")).isTrue();
        assertThat(probe.kafkaClusterId()).isNotBlank();
        // The relay is DOWN while it starts (honest health), UP once it streams.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> probe.health().contains("\"status\":\"UP\""));
    }
}
