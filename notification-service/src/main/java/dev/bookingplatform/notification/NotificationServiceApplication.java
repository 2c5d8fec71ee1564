package dev.bookingplatform.notification;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.servers.Server;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import dev.bookingplatform.web.openapi.ApiDocumentation;

/** Notification service: e-mails customers about their bookings, one per event, never twice. */
@OpenAPIDefinition(info = @Info(title = "Notification ops API", version = ApiDocumentation.CONTRACT_VERSION, description = """
        notification-service e-mails customers \
        about their bookings, one mail per event, never twice; it has no customer-facing API. These are its ops \
        endpoints: dead letters, the relay and event history. Every error is an RFC 9457 problem detail."""),
        servers = @Server(url = "/", description = "This service, wherever it is deployed"))
@SpringBootApplication
@ConfigurationPropertiesScan
public class NotificationServiceApplication {

    /** Its own config file name, so the four services can share one classpath in the local stack. */
    public static final String CONFIG_NAME = "notification-service";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(NotificationServiceApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
