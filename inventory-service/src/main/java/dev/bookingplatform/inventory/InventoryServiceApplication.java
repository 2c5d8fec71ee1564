package dev.bookingplatform.inventory;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.servers.Server;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.bookingplatform.web.openapi.ApiDocumentation;

/** Inventory service: resources, capacity per slot, prices, holds and reservations. */
@OpenAPIDefinition(info = @Info(title = "Inventory API", version = ApiDocumentation.CONTRACT_VERSION, description = """
        The catalogue of bookable resources (courts, rooms, seats): \
        their capacity, prices, add-ons, booking rules and cancellation terms, and their availability per slot. The \
        gateway reads it; catalogue editors change it with If-Match on the version they read. Holds and reservations \
        are made by the booking saga's events, not through this API. Every error is an RFC 9457 problem detail."""),
        servers = @Server(url = "/", description = "This service, wherever it is deployed"))
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class InventoryServiceApplication {

    /** Its own config file name, so the four services can share one classpath in the local stack. */
    public static final String CONFIG_NAME = "inventory-service";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(InventoryServiceApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
