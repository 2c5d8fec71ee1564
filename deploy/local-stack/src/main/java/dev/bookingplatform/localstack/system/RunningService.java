package dev.bookingplatform.localstack.system;

import java.net.URI;

import javax.sql.DataSource;

import org.springframework.context.ConfigurableApplicationContext;

import dev.bookingplatform.testsupport.postgres.PostgresDatabase;

/** One of the four services as started by {@link BookingSystem}: its context, its URL and its database. */
public record RunningService(String name, ConfigurableApplicationContext context, PostgresDatabase database) {

    public URI url() {
        return URI.create("http://localhost:" + context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    public DataSource dataSource() {
        return context.getBean(DataSource.class);
    }
}
