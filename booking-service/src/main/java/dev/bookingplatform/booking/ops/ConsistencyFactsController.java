package dev.bookingplatform.booking.ops;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.web.ApiProblemException;
import dev.bookingplatform.web.BookingIdsAsked;
import dev.bookingplatform.web.openapi.ApiDocumentation;

/**
 * What the consistency monitor (the ops tool) checks the other services against: bookings that settled in a time
 * window, with what booking-service believes of their payment. Services never ask each other; the tool asks each.
 */
@Tag(name = "Ops")
@RestController
@RequestMapping(path = "/ops/consistency", produces = MediaType.APPLICATION_JSON_VALUE)
class ConsistencyFactsController {

    /**
     * States whose units and money are settled, and so can be checked: the others are still on their way.
     * REFUND_FAILED waits for ops, not for an event, so what the services say of it must already agree.
     */
    static final List<String> CHECKED_STATES = List.of("CONFIRMED", "CANCELLED", "EXPIRED", "REJECTED", "REFUND_FAILED");

    static final int MAX_LIMIT = 5_000;

    private final JdbcClient jdbc;

    ConsistencyFactsController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Bookings in a checked state last changed in {@code [from, to)}, ordered by change time then id; {@code truncated}
     * says the window held more than {@code limit}: ask again with the last one's {@code updatedAt} as {@code from}
     * and its {@code bookingId} as {@code after}, so bookings that changed in the same instant are never skipped.
     */
    @Operation(operationId = "bookingConsistencyFactsInWindow",
            summary = "List the settled bookings that changed in a window", description = """
                    For the consistency monitor: the bookings in a settled state (CONFIRMED, CANCELLED, EXPIRED, \
                    REJECTED, REFUND_FAILED) last changed in [from, to), by change time then id, with what \
                    booking-service believes of their payment. `truncated` says the window held more than `limit`: \
                    ask again with the last one's `updatedAt` as `from` and its `bookingId` as `after`, so bookings \
                    that changed in the same instant are never skipped. 400 when `from` is not before `to`.""")
    @ApiResponse(responseCode = "200", description = "The window's settled bookings, up to `limit` of them",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = SettledInWindow.class)))
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "ops")
    @GetMapping("/bookings")
    Map<String, Object> settled(
            @Parameter(description = "The window's start, inclusive (ISO-8601 instant)")
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @Parameter(description = "The window's end, exclusive (ISO-8601 instant); after `from`")
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @Parameter(description = "When paging: the `bookingId` of the previous answer's last booking, whose"
                    + " `updatedAt` is then `from`; only bookings after it in (change time, id) order are listed")
            @RequestParam(required = false) UUID after,
            @Parameter(description = "At most this many bookings; taken as 1 below it and 5000 above it")
            @RequestParam(defaultValue = "1000") int limit) {
        if (!from.isBefore(to)) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "Empty window", "from (" + from + ") must be before to (" + to + ")");
        }
        int size = Math.max(1, Math.min(limit, MAX_LIMIT));
        String afterTheLastPage = after == null ? "" : " AND (updated_at > :from OR id > :after)";
        List<Map<String, Object>> bookings = jdbc.sql(SELECT_FACTS
                + " WHERE updated_at >= :from AND updated_at < :to AND status IN (:states)" + afterTheLastPage
                + " ORDER BY updated_at, id LIMIT :limit").param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .param("after", after).param("states", CHECKED_STATES).param("limit", size + 1)
                .query(ConsistencyFactsController::facts).list();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("to", to);
        body.put("truncated", bookings.size() > size);
        body.put("bookings", bookings.size() > size ? bookings.subList(0, size) : bookings);
        return body;
    }

    /**
     * The asked bookings that are in a checked state, whenever they settled: the monitor asks again about the
     * mismatches it found, so one is not forgotten when it grows older than the window.
     */
    @Operation(operationId = "bookingConsistencyFactsOfBookings",
            summary = "Get the settled facts of the given bookings", description = """
                    For the consistency monitor, asking again about the mismatches it found, whenever they settled: \
                    the asked bookings that are in a settled state (CONFIRMED, CANCELLED, EXPIRED, REJECTED, \
                    REFUND_FAILED), by change time then id. A booking that is not settled, or unknown, is absent. At \
                    most 5000 ids; 400 without `bookingIds` or with more.""")
    @ApiResponse(responseCode = "200", description = "The settled ones among the asked bookings",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = SettledAmong.class)))
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "ops")
    @PostMapping("/bookings")
    Map<String, Object> settledAmong(@RequestBody BookingIdsAsked asked) {
        List<UUID> ids = asked.validated(MAX_LIMIT);
        List<Map<String, Object>> bookings = ids.isEmpty() ? List.of() : jdbc.sql(SELECT_FACTS
                + " WHERE id IN (:ids) AND status IN (:states) ORDER BY updated_at, id").param("ids", ids)
                .param("states", CHECKED_STATES).query(ConsistencyFactsController::facts).list();
        return Map.of("bookings", bookings);
    }

    /** The body of GET /ops/consistency/bookings, for the document: it is written as a map. */
    @Schema(description = "The settled bookings of a window")
    record SettledInWindow(@Schema(description = "The window's start, as asked") Instant from,
            @Schema(description = "The window's end, as asked") Instant to,
            @Schema(description = "Whether the window held more bookings than `limit`: ask for the rest")
            boolean truncated,
            List<BookingFacts> bookings) {
    }

    /** The body of POST /ops/consistency/bookings, for the document: it is written as a map. */
    @Schema(description = "The settled ones among the asked bookings")
    record SettledAmong(List<BookingFacts> bookings) {
    }

    /** One booking as {@code facts} writes it. */
    @Schema(description = "What booking-service believes of a settled booking")
    record BookingFacts(UUID bookingId,
            @Schema(description = "The booking's state: one of the settled ones",
                    allowableValues = { "CONFIRMED", "CANCELLED", "EXPIRED", "REJECTED", "REFUND_FAILED" }) String status,
            @Schema(description = "Whether a payment of it was recorded") boolean paid,
            @Schema(description = "Whether a refund of it was requested") boolean refundRequested,
            @Schema(description = "When it last changed") Instant updatedAt) {
    }

    private static final String SELECT_FACTS = """
            SELECT id, status, payment_intent_id IS NOT NULL AS paid, refund_requested_at, updated_at FROM booking
            """;

    private static Map<String, Object> facts(java.sql.ResultSet row, int number) throws java.sql.SQLException {
        Map<String, Object> booking = new LinkedHashMap<>();
        booking.put("bookingId", row.getObject("id", UUID.class));
        booking.put("status", row.getString("status"));
        booking.put("paid", row.getBoolean("paid"));
        booking.put("refundRequested", row.getTimestamp("refund_requested_at") != null);
        booking.put("updatedAt", row.getTimestamp("updated_at").toInstant());
        return booking;
    }
}
