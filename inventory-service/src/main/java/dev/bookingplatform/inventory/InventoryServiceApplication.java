package dev.bookingplatform.inventory;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Inventory service: resources, capacity per slot, prices, holds and reservations. */
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
