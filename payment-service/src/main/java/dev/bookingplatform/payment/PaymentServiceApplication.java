package dev.bookingplatform.payment;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.servers.Server;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.bookingplatform.web.openapi.ApiDocumentation;

/** Payment service: Stripe Checkout Sessions, Stripe webhook ingestion, refunds. */
@OpenAPIDefinition(info = @Info(title = "Payment API", version = ApiDocumentation.CONTRACT_VERSION, description = """
        Where Stripe delivers its webhook events (checkout \
        completed or expired, asynchronous payments, refunds, disputes), verified by their Stripe-Signature header, \
        and ops' view of payments. Checkout sessions and refunds are made by the booking saga's events, not through \
        this API. Every error is an RFC 9457 problem detail."""),
        servers = @Server(url = "/", description = "This service, wherever it is deployed"))
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class PaymentServiceApplication {

    /** Its own config file name, so the four services can share one classpath in the local stack. */
    public static final String CONFIG_NAME = "payment-service";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(PaymentServiceApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
