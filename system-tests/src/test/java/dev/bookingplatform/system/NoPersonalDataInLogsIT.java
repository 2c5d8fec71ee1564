package dev.bookingplatform.system;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import dev.bookingplatform.events.Topics;
import dev.bookingplatform.localstack.system.BookingSystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A saga run of every kind (paid, declined then paid, a receipt the mail relay refuses once, refunded, a dead
 * letter beside them) with our loggers
 * and Spring's at DEBUG: no line, message or stack trace names a customer's e-mail address or name.
 */
@Timeout(300)
class NoPersonalDataInLogsIT {

    final BookingSystem system = TheSystem.get();

    final PlatformClient client = new PlatformClient(system);

    @Test
    void noLogLineCarriesACustomersEmailOrName() throws Exception {
        String resource = client.createResource("pii", 5, 2_000, PlatformClient.HOLD_SECONDS, Map.of());
        List<String> personalData = new ArrayList<>();
        Capture capture = Capture.begin();
        try {
            UUID paid = book(resource, personalData);
            client.pressPay(client.awaitCheckoutSession(paid));
            // Support looks the customer up by address (in the body: a URL would put it in request logging).
            var lookedUp = client.post(system.booking().url() + "/api/bookings/search", Map.of(), "{\"email\":\"" + personalData.get(0) + "\"}");
            assertThat(lookedUp.statusCode()).as(lookedUp.body()).isEqualTo(200);
            assertThat(lookedUp.body()).contains(paid.toString());
            // Mistyped addresses: the validation refuses them, and Spring's DEBUG line of the resolved exception (a
            // binding failure quotes each rejected value) must not carry them either.
            String mistyped = personalData.get(0) + " x";
            var badSearch = client.post(system.booking().url() + "/api/bookings/search", Map.of(), "{\"email\":\"" + mistyped + "\"}");
            assertThat(badSearch.statusCode()).as(badSearch.body()).isEqualTo(400);
            var badBooking = client.post(system.booking().url() + "/api/bookings", Map.of("Idempotency-Key", UUID.randomUUID().toString()),
                    PlatformClient.bookingJson(mistyped, resource, PlatformClient.freshSlot(), 1, ""));
            assertThat(badBooking.statusCode()).as(badBooking.body()).isBetween(400, 499);
            // An address where a time belongs: Jackson's message quotes the value it could not read.
            var misplaced = client.post(system.booking().url() + "/api/bookings", Map.of("Idempotency-Key", UUID.randomUUID().toString()),
                    PlatformClient.bookingJson(personalData.get(0), resource, PlatformClient.freshSlot(), 1, "")
                            .replaceFirst("\"slotStart\":\"[^\"]+\"", "\"slotStart\":\"" + personalData.get(0) + "\""));
            assertThat(misplaced.statusCode()).as(misplaced.body()).isBetween(400, 499);
            assertThat(badSearch.body() + badBooking.body() + misplaced.body()).doesNotContain(personalData.get(0));
            UUID declined = book(resource, personalData);
            String declinedSession = client.awaitCheckoutSession(declined);
            client.pressDecline(declinedSession);
            await().atMost(Duration.ofSeconds(60)).until(() -> client.booking(declined).get("payment").get("declinedAttempts").asInt() > 0);
            client.pressPay(declinedSession);
            // A strict relay refuses the receipt's recipient once, quoting the address in its reply; the retry passes.
            TheSystem.smtpRelay().rejectRecipients(true);
            int rejectedBefore = TheSystem.smtpRelay().rejected();
            UUID refused = book(resource, personalData);
            client.pressPay(client.awaitCheckoutSession(refused));
            await().atMost(Duration.ofSeconds(60)).until(() -> TheSystem.smtpRelay().rejected() > rejectedBefore);
            TheSystem.smtpRelay().rejectRecipients(false);
            UUID refunded = book(resource, personalData);
            client.pressPay(client.awaitCheckoutSession(refunded));
            client.awaitStatus(refunded, "CONFIRMED");
            assertThat(client.cancel(refunded).statusCode()).isEqualTo(202);
            UUID poisoned = PoisonEvent.publish(system, "pii-").bookingId();
            // A refused write of a row that holds the address: PostgreSQL's error detail would quote the whole row
            // ("Failing row contains (..., pii.x@example.com, ...)") into the retry and dead-letter lines.
            String refusedRow = "pii_refused_" + UUID.randomUUID().toString().replace("-", "");
            Booked unmailable = booked(resource, personalData);
            UUID unmailed = unmailable.id();
            String unmailableEmail = unmailable.email();
            PlatformClient.jdbc(system.notification()).sql("ALTER TABLE notification_log ADD CONSTRAINT " + refusedRow
                    + " CHECK (md5(recipient) <> '" + md5(unmailableEmail) + "') NOT VALID").update();
            try {
                client.pressPay(client.awaitCheckoutSession(unmailed));
                client.awaitStatus(unmailed, "CONFIRMED");
                await().atMost(Duration.ofSeconds(60)).until(() -> PlatformClient.jdbc(system.notification()).sql(
                        "SELECT count(*) FROM dead_letter WHERE booking_id = ?").param(unmailed.toString()).query(Long.class).single() > 0);
            }
            finally {
                PlatformClient.jdbc(system.notification()).sql("ALTER TABLE notification_log DROP CONSTRAINT " + refusedRow).update();
            }

            client.awaitStatus(paid, "CONFIRMED");
            client.awaitStatus(refused, "CONFIRMED");
            client.awaitStatus(declined, "CONFIRMED");
            client.awaitStatus(refunded, "CANCELLED");
            await().atMost(Duration.ofSeconds(60)).until(() -> TopicProbe.records(system.kafkaBootstrapServers(),
                    Topics.INVENTORY_EVENTS + ".booking-service.DLT").stream().anyMatch(record -> poisoned.toString().equals(record.key())));
            await().atMost(Duration.ofSeconds(60)).until(() -> system.smtp().getReceivedMessages().length > 0
                    && personalData.stream().filter(value -> value.contains("@") && !value.equals(unmailableEmail))
                            .allMatch(email -> !client.mailsTo(email).isEmpty()));
        }
        finally {
            TheSystem.smtpRelay().rejectRecipients(false);
            capture.stop();
        }

        List<String> lines = List.copyOf(capture.lines);
        assertThat(lines).as("the capture saw DEBUG output of ours and Spring's").hasSizeGreaterThan(500)
                .anyMatch(line -> line.startsWith("DEBUG org.springframework")).anyMatch(line -> line.startsWith("DEBUG dev.bookingplatform")
                        || line.startsWith("INFO dev.bookingplatform"));
        List<String> leaks = new ArrayList<>();
        for (String line : lines) {
            if (line.split(" ", 3)[1].startsWith("com.icegreen.greenmail")) {
                // The test SMTP server's own trace: out of scope (it stands in for the mail provider).
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            for (String value : personalData) {
                String needle = value.toLowerCase(Locale.ROOT);
                if (lower.contains(needle) || lower.contains(URLEncoder.encode(value, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT))) {
                    leaks.add(line.length() > 400 ? line.substring(0, 400) : line);
                }
            }
        }
        assertThat(leaks).as("log lines naming a customer").isEmpty();
    }

    private UUID book(String resource, List<String> personalData) {
        return booked(resource, personalData).id();
    }

    record Booked(UUID id, String email) {
    }

    /** PostgreSQL's md5(), so the test's own DDL (logged at DEBUG too) names no address. */
    private static String md5(String text) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A new booking whose customer's address and name join {@code personalData}. */
    private Booked booked(String resource, List<String> personalData) {
        String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String email = "pii." + tag + "@example.com";
        String name = "Zephyrine " + tag.toUpperCase(Locale.ROOT);
        personalData.add(email);
        personalData.add(name);
        Instant slot = PlatformClient.freshSlot();
        String json = """
                {"customerEmail":"%s","customerName":"%s","resourceId":"%s","slotStart":"%s","slotEnd":"%s","quantity":1}"""
                .formatted(email, name, resource, slot, slot.plus(Duration.ofHours(1)));
        return new Booked(client.bookOk(json), email);
    }

    /** Every event of every logger, formatted with its MDC and stack trace, while the levels are at DEBUG. */
    static final class Capture extends AppenderBase<ILoggingEvent> {

        private static final String[] LOGGERS = { "dev.bookingplatform", "org.springframework" };

        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        private final List<Level> previous = new ArrayList<>();

        static Capture begin() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            Capture capture = new Capture();
            capture.setContext(context);
            capture.start0();
            for (String name : LOGGERS) {
                Logger logger = context.getLogger(name);
                capture.previous.add(logger.getLevel());
                logger.setLevel(Level.DEBUG);
            }
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(capture);
            return capture;
        }

        private void start0() {
            super.start();
        }

        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage());
            event.getMDCPropertyMap().forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
            if (event.getThrowableProxy() != null) {
                line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            lines.add(line.toString());
        }

        @Override
        public void stop() {
            LoggerContext context = (LoggerContext) getContext();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
            for (int i = 0; i < LOGGERS.length; i++) {
                context.getLogger(LOGGERS[i]).setLevel(previous.get(i));
            }
            super.stop();
        }
    }
}
