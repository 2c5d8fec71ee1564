package dev.bookingplatform.booking;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.servers.Server;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.bookingplatform.web.openapi.ApiDocumentation;

/** Booking service: the booking API for the gateway and the booking saga (orchestrator). */
@OpenAPIDefinition(info = @Info(title = "Booking API", version = ApiDocumentation.CONTRACT_VERSION, description = """
        The API the public booking gateway calls on behalf of customers, and support's and ops' booking tools. \
        A booking is created at once (202) and moved along a saga by events: inventory holds its units, the customer \
        pays through a Stripe Checkout page (the booking's checkoutUrl), and the booking is CONFIRMED, or ends \
        REJECTED, EXPIRED or CANCELLED. Follow it with GET /api/bookings/{id} (ETag and If-None-Match make polling \
        cheap) or have its changes pushed with GET /api/bookings/{id}/events (Server-Sent Events). Every error is an \
        RFC 9457 problem detail."""),
        servers = @Server(url = "/", description = "This service, wherever it is deployed"))
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class BookingServiceApplication {

    /** Its own config file name, so the four services can share one classpath in the local stack. */
    public static final String CONFIG_NAME = "booking-service";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(BookingServiceApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
