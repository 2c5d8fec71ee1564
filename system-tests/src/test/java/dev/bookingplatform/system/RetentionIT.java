package dev.bookingplatform.system;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.eventing.retention.RetentionPurge;
import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.RunningService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every service's retention rules, run for real on its own tables: a booking that ended long ago (its rows aged in
 * the database, so the shared clock stays put for the other tests) loses its customer's data in every service,
 * old webhook and mail-log rows go, and a booking still in its period keeps everything.
 */
@Timeout(180)
class RetentionIT {

    static final BookingSystem system = TheSystem.get();

    static final PlatformClient client = new PlatformClient(system);

    @Test
    void personalDataOfLongEndedBookingsIsMaskedInEveryServiceAndRecentOnesKeepIt() {
        String resource = client.createResource("retention", 5, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        String oldEmail = "long-ago+" + UUID.randomUUID() + "@example.com";
        String recentEmail = "recent+" + UUID.randomUUID() + "@example.com";
        UUID old = client.bookOk(PlatformClient.bookingJson(oldEmail, resource, PlatformClient.freshSlot(), 1, ""));
        UUID recent = client.bookOk(PlatformClient.bookingJson(recentEmail, resource, PlatformClient.freshSlot(), 1, ""));
        for (UUID booking : new UUID[] { old, recent }) {
            client.awaitCheckoutSession(booking);
            assertThat(client.cancel(booking).statusCode()).isEqualTo(202);
            client.awaitStatus(booking, "CANCELLED");
        }
        await().until(() -> PlatformClient.jdbc(system.payment()).sql("SELECT count(*) FROM payment_session WHERE booking_id = ?"
                + " AND status <> 'OPEN'").param(old).query(Long.class).single() == 1);
        await().until(() -> client.mailsTo(oldEmail).size() == 1);
        PlatformClient.jdbc(system.booking()).sql("UPDATE booking SET status_changed_at = now() - interval '91 days' WHERE id = ?")
                .param(old).update();
        PlatformClient.jdbc(system.payment()).sql("UPDATE payment_session SET expires_at = now() - interval '91 days' WHERE booking_id = ?")
                .param(old).update();
        PlatformClient.jdbc(system.payment()).sql("UPDATE stripe_intent SET created_at = now() - interval '91 days' WHERE booking_id = ?")
                .param(old).update();
        PlatformClient.jdbc(system.notification()).sql("UPDATE notification_log SET sent_at = now() - interval '36 days'"
                + " WHERE booking_id = ?").param(old).update();
        // A mail of the old booking that never went out (refused for good), and a young one that is still being sent.
        var notification = PlatformClient.jdbc(system.notification());
        String insertSending = "INSERT INTO notification_log (event_id, recipient, template, message_id, status, booking_id, created_at)"
                + " VALUES (?, ?, 'booking-cancelled', ?, 'SENDING', ?, now() - ?::interval)";
        notification.sql(insertSending).params(UUID.randomUUID(), oldEmail, "<" + UUID.randomUUID() + "@test>", old, "36 days").update();
        notification.sql(insertSending).params(UUID.randomUUID(), recentEmail, "<" + UUID.randomUUID() + "@test>", recent, "1 minute").update();
        // Webhook records: Stripe retries for three days; after the period they go, unless still PENDING.
        var payment = PlatformClient.jdbc(system.payment());
        String insertWebhook = "INSERT INTO stripe_webhook_event (stripe_event_id, type, status, booking_id, received_at)"
                + " VALUES (?, 'checkout.session.completed', ?, ?, now() - ?::interval)";
        String agedProcessed = "evt_aged_" + UUID.randomUUID();
        String agedPending = "evt_pending_" + UUID.randomUUID();
        String young = "evt_young_" + UUID.randomUUID();
        payment.sql(insertWebhook).params(agedProcessed, "PROCESSED", old, "31 days").update();
        payment.sql(insertWebhook).params(agedPending, "PENDING", old, "31 days").update();
        payment.sql(insertWebhook).params(young, "PROCESSED", recent, "1 day").update();

        Map<String, Integer> agedOutboxRows = new java.util.HashMap<>();
        for (RunningService service : system.services()) {
            // The events' payloads carry the address too: the outbox's own (shorter) period has passed for them.
            agedOutboxRows.put(service.name(), PlatformClient.jdbc(service).sql("UPDATE outbox_event SET recorded_at = now()"
                    + " - interval '8 days' WHERE aggregate_id = ?").param(old.toString()).update());
        }
        assertThat(agedOutboxRows.get(system.booking().name())).as("booking-service's events of the old booking").isPositive();
        PlatformClient.jdbc(system.booking()).sql("UPDATE idempotency_key SET created_at = now() - interval '25 hours'"
                + " WHERE booking_id = ?").param(old).update();
        purgeIdempotencyKeys();
        for (RunningService service : system.services()) {
            PrometheusScrape before = ObservabilityIT.scrape(service);
            Map<String, Integer> run = ((RunningService.InJvm) service).context().getBean(RetentionPurge.class).run();
            assertThat(run).as(service.name()).containsKeys("outbox", "inbox", "resolved-dead-letters");
            // Purged by this run or by the periodic one beside it (SKIP LOCKED shares the rows): gone either way.
            assertThat(PlatformClient.jdbc(service).sql("SELECT count(*) FROM outbox_event WHERE aggregate_id = ?").param(old.toString())
                    .query(Long.class).single()).as("%s's aged outbox rows (%d before)", service.name(), agedOutboxRows.get(service.name()))
                    .isZero();
            PrometheusScrape after = ObservabilityIT.scrape(service);
            // The periodic purge may run beside this one and count rows of its own, never fewer.
            run.forEach((rule, rows) -> assertThat(after.sum("eventing_retention_rows_total", Map.of("rule", rule))
                    - before.sum("eventing_retention_rows_total", Map.of("rule", rule)))
                    .as("%s's eventing_retention_rows_total{rule=%s}", service.name(), rule).isGreaterThanOrEqualTo(rows));
        }

        assertThat(ErasureIT.holders(oldEmail)).as("tables still holding the long-ended booking's address").isEmpty();
        assertThat(payment.sql("SELECT stripe_event_id FROM stripe_webhook_event WHERE stripe_event_id IN (?, ?, ?)")
                .params(agedProcessed, agedPending, young).query(String.class).list()).as("webhook records kept")
                .containsExactlyInAnyOrder(agedPending, young);
        assertThat(notification.sql("SELECT count(*) FROM notification_log WHERE booking_id = ? AND status = 'SENDING'").param(recent)
                .query(Long.class).single()).as("a mail being sent now").isEqualTo(1);
        assertThat(ErasureIT.holders(recentEmail)).as("a recent booking keeps its data").isNotEmpty();
        assertThat(PlatformClient.jdbc(system.booking()).sql("SELECT customer_email FROM booking WHERE id = ?").param(old)
                .query(String.class).single()).isEqualTo("erased+" + old + "@invalid");
        assertThat(PlatformClient.jdbc(system.notification()).sql("SELECT count(*) FROM notification_log WHERE booking_id = ?")
                .param(old).query(Long.class).single()).isZero();
        assertThat(PlatformClient.jdbc(system.notification()).sql("SELECT count(*) FROM notification_log WHERE booking_id = ?"
                + " AND status = 'SENT'").param(recent).query(Long.class).single()).isEqualTo(1);
        assertThat(client.booking(old).get("status").asString()).isEqualTo("CANCELLED");
    }

    /** booking-service's idempotency keys have a purge of their own (24 h, IdempotencyRetentionIT). */
    private static void purgeIdempotencyKeys() {
        Object purge = ((RunningService.InJvm) system.booking()).context().getBean("idempotencyKeyPurge");
        try {
            java.lang.reflect.Method method = purge.getClass().getDeclaredMethod("purge");
            method.setAccessible(true);
            method.invoke(purge);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
