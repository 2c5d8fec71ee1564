package dev.bookingplatform.payment;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.testsupport.kafka.KafkaBroker;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.testsupport.registry.SchemaRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * payment-service started as a deployment would start it: with the simulator's published webhook secret or key
 * outside the local profile, or with no key at all, it refuses to start and names the property, never a value.
 */
@RealInfrastructure
@Timeout(180)
class StripeSecretsStartupIT {

    @Test
    void thePublishedSimulatorSecretOutsideTheLocalProfileStopsTheStart(PostgresDatabase database, KafkaBroker kafka,
            SchemaRegistry registry) {
        List<String> args = args(database, kafka, registry);
        args.add("--bookingplatform.stripe.webhook-secrets=whsec_local_simulator");

        assertThatThrownBy(() -> PaymentServiceApplication.application().run(args.toArray(String[]::new)).close())
                .satisfies(failure -> assertThat(rootMessages(failure))
                        .contains("bookingplatform.stripe.webhook-secrets holds the local simulator's published secret"));
    }

    @Test
    void thePublishedSimulatorKeyOrNoKeyStopsTheStartTooWithoutPrintingIt(PostgresDatabase database, KafkaBroker kafka,
            SchemaRegistry registry) {
        List<String> published = args(database, kafka, registry);
        published.add("--bookingplatform.stripe.api-key=sk_test_local_simulator");
        List<String> none = args(database, kafka, registry);
        none.add("--bookingplatform.stripe.api-key=");

        assertThatThrownBy(() -> PaymentServiceApplication.application().run(published.toArray(String[]::new)).close())
                .satisfies(failure -> assertThat(rootMessages(failure)).contains("api-key is the local simulator's published key")
                        .doesNotContain("sk_test_local_simulator"));
        assertThatThrownBy(() -> PaymentServiceApplication.application().run(none.toArray(String[]::new)).close())
                .satisfies(failure -> assertThat(rootMessages(failure)).contains("Set bookingplatform.stripe.api-key"));
    }

    @Test
    void inTheLocalProfileTheSimulatorsSecretsAreAccepted(PostgresDatabase database, KafkaBroker kafka, SchemaRegistry registry) {
        List<String> args = args(database, kafka, registry);
        args.add("--bookingplatform.stripe.webhook-secrets=whsec_local_simulator");
        args.add("--bookingplatform.stripe.api-key=sk_test_local_simulator");
        args.add("--spring.profiles.active=local");

        try (ConfigurableApplicationContext started = PaymentServiceApplication.application().run(args.toArray(String[]::new))) {
            assertThat(started.isRunning()).isTrue();
        }
    }

    private static List<String> args(PostgresDatabase database, KafkaBroker kafka, SchemaRegistry registry) {
        List<String> args = new ArrayList<>();
        args.add("--server.port=0");
        args.add("--spring.datasource.url=" + database.jdbcUrl());
        args.add("--spring.datasource.username=" + database.username());
        args.add("--spring.datasource.password=" + database.password());
        args.add("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers());
        args.add("--bookingplatform.schema-registry.url=" + registry.url());
        args.add("--bookingplatform.stripe.reconciliation.enabled=false");
        return args;
    }

    private static String rootMessages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
