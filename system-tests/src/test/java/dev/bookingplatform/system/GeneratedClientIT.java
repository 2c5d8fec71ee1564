package dev.bookingplatform.system;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.client.booking.ApiClient;
import dev.bookingplatform.client.booking.ApiException;
import dev.bookingplatform.client.booking.ApiResponse;
import dev.bookingplatform.client.booking.api.BookingsApi;
import dev.bookingplatform.client.booking.model.BookingPage;
import dev.bookingplatform.client.booking.model.BookingView;
import dev.bookingplatform.client.booking.model.CreateBookingRequest;
import dev.bookingplatform.client.booking.model.Problem;
import dev.bookingplatform.client.inventory.api.ResourcesApi;
import dev.bookingplatform.client.inventory.model.Resource;
import dev.bookingplatform.client.inventory.model.ResourceRequest;
import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.web.security.Scopes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The README's walk-through, driven by the Java client openapi-generator makes from the checked-in contracts at
 * build time, as a gateway team would: the documents are usable by the tool they would use, statuses, headers and
 * problem bodies included.
 */
@Timeout(180)
class GeneratedClientIT {

    final BookingSystem system = TheSystem.get();

    final PlatformClient platform = new PlatformClient(system);

    final String customer = "generated-client-" + UUID.randomUUID();

    @Test
    void theWalkThroughRunsOnTheGeneratedClient() throws Exception {
        String catalogToken = system.tokens().issue("generated-client-catalog", Duration.ofHours(1), Scopes.CATALOG_WRITE);
        ResourcesApi resources = new ResourcesApi(inventoryClient(catalogToken));
        String resourceId = "generated-court-" + UUID.randomUUID().toString().substring(0, 8);
        var created = resources.putResourceWithHttpInfo(resourceId, new ResourceRequest().name("Court").capacityPerUnit(1)
                .unitPriceMinor(2_000L).currency("EUR").holdDurationSeconds(PlatformClient.HOLD_SECONDS), null, null);
        assertThat(created.getStatusCode()).isEqualTo(201);
        Resource resource = created.getData();
        assertThat(resource.getVersion()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> PlatformClient.jdbc(system.booking())
                .sql("SELECT count(*) FROM known_resource WHERE id = ?").param(resourceId).query(Long.class).single() == 1);

        BookingsApi bookings = new BookingsApi(bookingClient(platform.customerToken(customer)));
        var slot = PlatformClient.freshSlot().atOffset(ZoneOffset.UTC);
        CreateBookingRequest request = new CreateBookingRequest().customerEmail(customer + "@example.com")
                .customerName("Ada Lovelace").resourceId(resourceId).slotStart(slot).slotEnd(slot.plusHours(1)).quantity(1);
        ApiResponse<BookingView> accepted = bookings.createBookingWithHttpInfo("walk-" + customer, request, null);
        assertThat(accepted.getStatusCode()).isEqualTo(202);
        assertThat(accepted.getHeaders().get("location")).singleElement().asString().startsWith("/api/bookings/");
        assertThat(accepted.getHeaders().get("retry-after")).containsExactly("1");
        UUID id = accepted.getData().getId();
        assertThat(accepted.getData().getStatus()).isEqualTo("PENDING");

        ApiResponse<BookingView> replayed = bookings.createBookingWithHttpInfo("walk-" + customer, request, null);
        assertThat(replayed.getHeaders().get("idempotent-replayed")).containsExactly("true");
        assertThat(replayed.getData().getId()).isEqualTo(id);

        await().atMost(Duration.ofSeconds(60)).until(() -> bookings.getBooking(id, null, null).getCheckoutUrl() != null);
        ApiResponse<BookingView> awaiting = bookings.getBookingWithHttpInfo(id, null, null);
        assertThat(awaiting.getData().getStatus()).isEqualTo("AWAITING_PAYMENT");
        assertThat(awaiting.getData().getTotalMinor()).isEqualTo(2_000L);
        String etag = awaiting.getHeaders().get("etag").get(0);
        ApiException unchanged = catchThrowableOfType(ApiException.class, () -> bookings.getBooking(id, etag, null));
        assertThat(unchanged.getCode()).isEqualTo(304);

        String checkoutUrl = awaiting.getData().getCheckoutUrl();
        assertThat(platform.pressPay(checkoutUrl.substring(checkoutUrl.lastIndexOf('/') + 1)).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> "CONFIRMED".equals(bookings.getBooking(id, null, null).getStatus()));

        BookingPage mine = bookings.listBookings(null, 0, 20, null);
        assertThat(mine.getItems()).extracting(BookingView::getId).containsExactly(id);
        assertThat(mine.getTotalItems()).isEqualTo(1L);

        BookingsApi someoneElse = new BookingsApi(bookingClient(platform.customerToken("generated-other-" + UUID.randomUUID())));
        ApiException notTheirs = catchThrowableOfType(ApiException.class, () -> someoneElse.getBooking(id, null, null));
        assertThat(notTheirs.getCode()).isEqualTo(404);
        Problem problem = new dev.bookingplatform.client.booking.JSON().getMapper().readValue(notTheirs.getResponseBody(), Problem.class);
        assertThat(problem.getStatus()).isEqualTo(404);
        assertThat(problem.getTitle()).isEqualTo("Booking not found");

        ApiResponse<BookingView> cancelled = bookings.cancelBookingWithHttpInfo(id, null);
        assertThat(cancelled.getStatusCode()).isEqualTo(202);
        assertThat(cancelled.getData().getStatus()).isIn("CANCELLATION_REQUESTED", "CANCELLED");
        await().atMost(Duration.ofSeconds(60)).until(() -> "CANCELLED".equals(bookings.getBooking(id, null, null).getStatus()));
    }

    private ApiClient bookingClient(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(system.booking().url().toString());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }

    private dev.bookingplatform.client.inventory.ApiClient inventoryClient(String token) {
        var client = new dev.bookingplatform.client.inventory.ApiClient();
        client.updateBaseUri(system.inventory().url().toString());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }
}
