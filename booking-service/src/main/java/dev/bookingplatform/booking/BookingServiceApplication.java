package dev.bookingplatform.booking;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Booking service: the booking API for the gateway and the booking saga (orchestrator). */
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
