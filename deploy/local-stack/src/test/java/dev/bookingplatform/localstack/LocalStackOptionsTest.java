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
