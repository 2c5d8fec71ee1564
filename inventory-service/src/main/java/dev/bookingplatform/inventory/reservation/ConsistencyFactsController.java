package dev.bookingplatform.inventory.reservation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.web.BookingIdsAsked;
import dev.bookingplatform.web.openapi.ApiDocumentation;

/**
 * What inventory holds for bookings, for the consistency monitor (the ops tool), which compares it with what
 * booking-service says of them: a hold's status and the units it still takes.
 */
@Tag(name = "Ops")
@RestController
@RequestMapping(path = "/ops/consistency", produces = MediaType.APPLICATION_JSON_VALUE)
class ConsistencyFactsController {

    static final int MAX_BOOKINGS = 5_000;

    private final JdbcClient jdbc;

    ConsistencyFactsController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Each asked booking's hold, by booking id; a booking inventory never held is absent. */
    @Operation(operationId = "inventoryConsistencyFacts", summary = "Get the holds of the asked bookings",
            description = """
                    For the consistency monitor: each asked booking's hold in inventory, by booking id, with its status \
                    (HELD, CONFIRMED, RELEASED), its quantity and what it still takes of its units, summed over them. A \
                    booking inventory never held is absent from the answer. Ask about at most 5,000 bookings at once.""")
    @ApiResponse(responseCode = "200", description = "The asked bookings' holds, by booking id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object",
                    description = "Keyed by booking id; each value is {\"status\": HELD, CONFIRMED or RELEASED (string),"
                            + " \"quantity\": the quantity booked (integer), \"unitsTaken\": what the hold still takes of"
                            + " its units, summed over them (integer)}")))
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "ops")
    @PostMapping("/holds")
    Map<UUID, Map<String, Object>> holds(@RequestBody BookingIdsAsked asked) {
        List<UUID> ids = asked.validated(MAX_BOOKINGS);
        Map<UUID, Map<String, Object>> holds = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return holds;
        }
        jdbc.sql("""
                SELECT h.booking_id, h.status, h.quantity, coalesce(sum(u.quantity), 0) AS units_taken
                FROM hold h LEFT JOIN hold_unit u ON u.booking_id = h.booking_id
                WHERE h.booking_id IN (:ids) GROUP BY h.booking_id, h.status, h.quantity""").param("ids", ids)
                .query(row -> {
                    Map<String, Object> hold = new LinkedHashMap<>();
                    hold.put("status", row.getString("status"));
                    hold.put("quantity", row.getInt("quantity"));
                    hold.put("unitsTaken", row.getLong("units_taken"));
                    holds.put(row.getObject("booking_id", UUID.class), hold);
                });
        return holds;
    }
}
