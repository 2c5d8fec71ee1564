package dev.bookingplatform.eventing.relay;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.bookingplatform.eventing.autoconfigure.EventingProperties;

import static org.assertj.core.api.Assertions.assertThat;

class RelaySettingsTest {

    @Test
    void noSecretReachesToString() {
        RelaySettings settings = RelaySettings.of("db", 5432, "booking", "relay", "database-secret", "broker:9092")
                .withClients("jdbc:postgresql://db:5432/booking?user=relay&password=url-secret&ssl=true",
                        Map.of("bootstrap.servers", "broker:9092", "sasl.jaas.config",
                                "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"sasl-secret\";"));

        assertThat(settings.toString()).doesNotContain("database-secret", "url-secret", "sasl-secret")
                .contains("booking", "relay", "sasl.jaas.config");
        EventingProperties.Relay relay = new EventingProperties.Relay(true, null, Duration.ofMillis(5), Duration.ofSeconds(10),
                Duration.ofMillis(500), Duration.ofSeconds(2), "relay", "property-secret", Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofMinutes(2));
        assertThat(relay.toString()).doesNotContain("property-secret").contains("relay");
    }
}
