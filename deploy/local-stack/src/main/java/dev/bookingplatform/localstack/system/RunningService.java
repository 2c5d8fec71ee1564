package dev.bookingplatform.localstack.system;

import java.net.URI;

import javax.sql.DataSource;

import org.springframework.context.ConfigurableApplicationContext;

import dev.bookingplatform.testsupport.postgres.PostgresDatabase;

/** One of the four services as started by {@link BookingSystem}: in this JVM, or in a JVM of its own. */
public sealed interface RunningService permits RunningService.InJvm, ServiceProcess {

    String name();

    URI url();

    PostgresDatabase database();

    /** A pool on the service's database, for tests that read it. */
    DataSource dataSource();

    /** Stops the service the orderly way. */
    void stop();

    /** A service started in this JVM, as its own Spring Boot application. */
    record InJvm(String name, ConfigurableApplicationContext context, PostgresDatabase database) implements RunningService {

        @Override
        public URI url() {
            return URI.create("http://localhost:" + context.getEnvironment().getRequiredProperty("local.server.port"));
        }

        @Override
        public DataSource dataSource() {
            return context.getBean(DataSource.class);
        }

        @Override
        public void stop() {
            context.close();
        }
    }
}
