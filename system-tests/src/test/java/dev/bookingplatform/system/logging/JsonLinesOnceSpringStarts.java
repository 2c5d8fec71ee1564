package dev.bookingplatform.system.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;

import org.springframework.boot.logging.logback.StructuredLogEncoder;

/**
 * Spring Boot's ECS encoder for the test JVM's JSON log, which stays off until Spring Boot configures logging with
 * its environment. Logback configures itself at the first logger, before any Spring context: the plain encoder
 * then throws, and that failure leaves the JVM with no logging at all when no service runs in it (tests whose
 * services all run in JVMs of their own).
 */
public class JsonLinesOnceSpringStarts extends StructuredLogEncoder {

    @Override
    public void start() {
        try {
            super.start();
        }
        catch (IllegalStateException noSpringEnvironmentYet) {
            addInfo("No Spring environment yet: no JSON lines until Spring Boot configures logging");
        }
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return isStarted() ? super.encode(event) : new byte[0];
    }
}
