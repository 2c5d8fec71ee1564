package dev.bookingplatform.payment;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Payment service: Stripe Checkout Sessions, Stripe webhook ingestion, refunds. */
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
