package dev.bookingplatform.eventing.relay;

import java.lang.management.ManagementFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMX metrics Debezium registers for one engine, named by the engine's {@code custom.metric.tags}
 * ({@link RelayEngineProperties}). Debezium removes them when it stops cleanly; an engine whose stop was cut short
 * leaves them registered, and with them its event queue, for as long as the JVM runs.
 */
final class DebeziumMetrics {

    private static final Logger log = LoggerFactory.getLogger(DebeziumMetrics.class);

    private DebeziumMetrics() {
    }

    /** Names of the given engine's metrics (any context), as Debezium builds them. */
    static ObjectName pattern(String engineName, long term, long engine) {
        try {
            return new ObjectName("debezium.postgres:type=connector-metrics,server=" + engineName + ",term=" + term + ",engine="
                    + engine + ",*");
        }
        catch (JMException e) {
            throw new IllegalArgumentException("No JMX name pattern for engine " + engineName, e);
        }
    }

    /** Removes whatever the given engine left registered; nothing if it stopped cleanly. */
    static void unregister(String engineName, long term, long engine) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : server.queryNames(pattern(engineName, term, engine), null)) {
            try {
                server.unregisterMBean(name);
                log.info("Removed the metrics {} an engine that did not stop cleanly left behind", name);
            }
            catch (JMException alreadyGone) {
                // Its engine removed them meanwhile.
            }
        }
    }
}
