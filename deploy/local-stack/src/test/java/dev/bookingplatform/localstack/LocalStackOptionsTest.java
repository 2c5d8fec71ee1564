package dev.bookingplatform.localstack;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LocalStackOptionsTest {

    @Test
    void noOptionsMeansTheReadmesPortsAFreshDirectoryAndNoDemo() {
        LocalStackOptions options = LocalStackOptions.parse();

        assertThat(options.ports().of("booking-port")).isEqualTo(8081);
        assertThat(options.ports().of("postgres-port")).isEqualTo(15432);
        assertThat(options.dataDirectory()).isNull();
        assertThat(options.demo()).isFalse();
        assertThat(options.stripeLatency().isNone()).isTrue();
        assertThat(options.stripeRateLimit()).isEqualTo(25);
    }

    @Test
    void setsTheStripeSimulatorsLatencyAndRateLimit() {
        LocalStackOptions options = LocalStackOptions.parse("--stripe-latency=300ms/900ms", "--stripe-rate-limit", "200");

        assertThat(options.stripeLatency()).isEqualTo(new dev.bookingplatform.stripesim.StripeLatency(
                java.time.Duration.ofMillis(300), java.time.Duration.ofMillis(900)));
        assertThat(options.stripeRateLimit()).isEqualTo(200);
        assertThatIllegalArgumentException().isThrownBy(() -> LocalStackOptions.parse("--stripe-rate-limit=-1"))
                .withMessageContaining("--stripe-rate-limit must be");
        assertThatIllegalArgumentException().isThrownBy(() -> LocalStackOptions.parse("--stripe-latency=slow"))
                .withMessageContaining("MEDIAN/P99");
    }

    @Test
    void takesValuesAfterAnEqualsSignOrAsTheNextArgument() {
        LocalStackOptions options = LocalStackOptions.parse("--booking-port=9081", "--kafka-port", "19092", "--data-dir", "data",
                "--demo");

        assertThat(options.ports().of("booking-port")).isEqualTo(9081);
        assertThat(options.ports().of("kafka-port")).isEqualTo(19092);
        assertThat(options.dataDirectory()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(options.demo()).isTrue();
    }

    @Test
    void replicasAreOneByDefaultAndAtMostFour() {
        assertThat(LocalStackOptions.parse().replicas()).isEqualTo(1);
        assertThat(LocalStackOptions.parse("--replicas=2").replicas()).isEqualTo(2);
        assertThat(LocalStackOptions.parse("--replicas", "4").replicas()).isEqualTo(4);
        for (String wrong : new String[] { "0", "5", "two", "-1" }) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                    .isThrownBy(() -> LocalStackOptions.parse("--replicas=" + wrong))
                    .withMessageContaining("--replicas must be a number from 1 to 4");
        }
    }

    @Test
    void freePortsGivesEveryPieceADifferentPort() {
        LocalPorts ports = LocalStackOptions.parse("--free-ports").ports();

        assertThat(LocalPorts.DEFAULTS.keySet().stream().map(ports::of).distinct()).hasSize(LocalPorts.DEFAULTS.size());
    }

    @Test
    void mistakesAreNamed() {
        assertThatIllegalArgumentException().isThrownBy(() -> LocalStackOptions.parse("--bogus")).withMessage("Unknown option --bogus");
        assertThatIllegalArgumentException().isThrownBy(() -> LocalStackOptions.parse("--booking-port=http"))
                .withMessage("--booking-port must be a port between 1 and 65535, not 'http'");
        assertThatIllegalArgumentException().isThrownBy(() -> LocalStackOptions.parse("--smtp-port=70000"))
                .withMessageContaining("between 1 and 65535");
        assertThatIllegalArgumentException().isThrownBy(() -> LocalStackOptions.parse("--data-dir")).withMessage("--data-dir needs a value");
        assertThatIllegalArgumentException().isThrownBy(() -> LocalStackOptions.parse("demo")).withMessage("Unexpected argument 'demo'");
    }
}
