package dev.bookingplatform.system;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.localstack.system.BookingSystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Scenario 2: capacity 1, twenty concurrent bookings for the slot: one confirmed, nineteen rejected. */
@Timeout(240)
class SoldOutIT {

    final BookingSystem system = TheSystem.get();

    final PlatformClient client = new PlatformClient(system);

    @Test
    void twentyConcurrentBookingsForOneUnitConfirmOneAndRejectNineteen() throws Exception {
        String resource = client.createResource("tennis-court", 1, 2_000, PlatformClient.HOLD_SECONDS, Map.of());
        Instant slot = PlatformClient.freshSlot();
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            emails.add("player" + i + "+" + UUID.randomUUID() + "@example.com");
        }
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<UUID>> requests = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            for (String email : emails) {
                requests.add(CompletableFuture.supplyAsync(() -> {
                    await().until(() -> start.getCount() == 0);
                    return client.bookOk(PlatformClient.bookingJson(email, resource, slot, 1, ""));
                }, pool));
            }
            start.countDown();
            List<UUID> ids = requests.stream().map(CompletableFuture::join).toList();

            await().atMost(java.time.Duration.ofSeconds(90)).until(() -> ids.stream()
                    .map(id -> client.booking(id).get("status").asString())
                    .allMatch(status -> status.equals("AWAITING_PAYMENT") || status.equals("REJECTED")));
            List<UUID> awaiting = ids.stream().filter(id -> client.booking(id).get("status").asString().equals("AWAITING_PAYMENT")).toList();
            assertThat(awaiting).hasSize(1);
            UUID winner = awaiting.get(0);
            client.pressPay(client.awaitCheckoutSession(winner));
            client.awaitStatus(winner, "CONFIRMED");

            assertThat(ids.stream().filter(id -> client.booking(id).get("status").asString().equals("REJECTED"))).hasSize(19);
            assertThat(client.taken(resource)).isEqualTo(1);
            assertThat(PlatformClient.jdbc(system.inventory()).sql("SELECT min(held) FROM unit_stock WHERE resource_id = ?")
                    .param(resource).query(Integer.class).single()).isGreaterThanOrEqualTo(0);
            await().until(() -> emails.stream().allMatch(email -> client.mailsTo(email).size() == 1));
            long receipts = emails.stream().flatMap(email -> client.mailsTo(email).stream())
                    .filter(mail -> subject(mail).startsWith("Booking confirmed")).count();
            assertThat(receipts).isEqualTo(1);
            assertThat(system.stripe().sessions().stream().filter(s -> ids.contains(UUID.fromString(s.metadata().get("bookingId")))))
                    .hasSize(1);
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static String subject(jakarta.mail.internet.MimeMessage mail) {
        try {
            return mail.getSubject();
        }
        catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
