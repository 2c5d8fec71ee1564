package dev.bookingplatform.system;

import java.util.Set;

import org.slf4j.LoggerFactory;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.testsupport.kafka.KafkaBrokerProcess;

/**
 * A system whose Kafka broker and four services each run in a JVM of their own, for the tests that kill them with
 * SIGKILL (PaymentCrashIT, KillEveryProcessIT). They share it, one after another (they hold TheSecondLane's lock),
 * and each leaves every booking it made ended. It stops once both are done with it (its five JVMs would take CPU
 * from the other lane), or with the test JVM when only one of them runs.
 */
final class SeparateProcesses {

    private static KafkaBrokerProcess broker;

    private static BookingSystem system;

    private static SystemOfItsOwn own;

    private static final Set<Class<?>> USERS = Set.of(PaymentCrashIT.class, KillEveryProcessIT.class);

    private static final Set<Class<?>> done = new java.util.HashSet<>();

    private SeparateProcesses() {
    }

    static synchronized BookingSystem system() {
        if (system == null) {
            broker = KafkaBrokerProcess.start();
            own = SystemOfItsOwn.startOn(broker, settings -> settings.withOwnProcesses(
                    Set.of("booking-service", "inventory-service", "payment-service", "notification-service")),
                    LoggerFactory.getLogger(SeparateProcesses.class));
            Runtime.getRuntime().addShutdownHook(new Thread(SeparateProcesses::close, "separate-processes-shutdown"));
            system = own.system();
        }
        return system;
    }

    /** {@code user} needs the system no more; the last of its users stops it. */
    static synchronized void doneWith(Class<?> user) {
        done.add(user);
        if (done.containsAll(USERS)) {
            close();
        }
    }

    private static synchronized void close() {
        if (own != null) {
            own.close();
            own = null;
            system = null;
            broker = null;
        }
    }

    static synchronized KafkaBrokerProcess broker() {
        system();
        return broker;
    }
}
