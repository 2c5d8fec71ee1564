package dev.bookingplatform.system;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.SystemInfrastructure;
import dev.bookingplatform.localstack.system.SystemSettings;
import dev.bookingplatform.testsupport.kafka.EmbeddedKafkaBroker;
import dev.bookingplatform.testsupport.kafka.KafkaBroker;

/**
 * A whole system for one test class, beside the shared one: the scenario properties, the shared PostgreSQL and
 * registry, and a broker of its own (two systems on one broker would consume each other's events). For tests that
 * kill, replicate or replace services, which the shared system must not see.
 */
record SystemOfItsOwn(KafkaBroker kafka, BookingSystem system) implements AutoCloseable {

    /** Starts it with the scenario settings as {@code settings} changes them (replicas, own processes). */
    static SystemOfItsOwn start(UnaryOperator<SystemSettings> settings, Logger log) {
        return startOn(EmbeddedKafkaBroker.start(), settings, log);
    }

    /** The same on {@code kafka}, which it closes with the system (a broker in a JVM of its own, say). */
    static SystemOfItsOwn startOn(KafkaBroker kafka, UnaryOperator<SystemSettings> settings, Logger log) {
        Consumer<String> progress = step -> log.info("Starting {}", step);
        try {
            return new SystemOfItsOwn(kafka, BookingSystem.start(settings.apply(new SystemSettings(0, 0, 0, 0, 0, 0,
                    SystemSettings.SIMULATOR_WEBHOOK_SECRET, TheSystem.SCENARIO_PROPERTIES)),
                    SystemInfrastructure.sharedBut(kafka.bootstrapServers(), progress), progress));
        }
        catch (RuntimeException failed) {
            kafka.close();
            throw failed;
        }
    }

    @Override
    public void close() {
        try {
            system.close();
        }
        finally {
            kafka.close();
        }
    }
}
