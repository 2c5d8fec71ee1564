package dev.bookingplatform.eventing.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.eventing.deadletter.DeadLetterStore;
import dev.bookingplatform.eventing.deadletter.EventJson;
import dev.bookingplatform.events.serde.AvroEventDeserializer;

/**
 * What this service published, from its outbox (kept for the outbox retention): one aggregate's events in the
 * order they were written, and counts.
 */
@Tag(name = "Ops")
@RestController
@RequestMapping(path = "/ops/events", produces = MediaType.APPLICATION_JSON_VALUE)
final class EventHistoryController {

    private static final int MAX_EVENTS = 1_000;

    private final JdbcTemplate jdbc;

    private final AvroEventDeserializer decoder;

    private final DeadLetterStore deadLetters;

    EventHistoryController(DataSource dataSource, AvroEventDeserializer decoder, DeadLetterStore deadLetters) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.decoder = decoder;
        this.deadLetters = deadLetters;
    }

    @Operation(operationId = "listEvents", summary = "List the events this service published about one aggregate",
            description = """
                    The events this service wrote to its outbox about one aggregate (a booking or a resource), in the \
                    order they were written, each decoded beside its metadata: the first 1,000 of those still within \
                    the outbox's retention. `aggregateId` is required: without it the answer is a 400.""")
    @ApiResponse(responseCode = "200", description = "The aggregate's published events, oldest first",
            content = @Content(mediaType = "application/json", schema = @Schema(type = "object", description = "aggregateId;"
                    + " events, each {sequence (its outbox position), eventId, topic, eventType, correlationId, causationId,"
                    + " occurredAt, recordedAt, and event (the event as JSON) or decodeError when it could not be decoded}")))
    @GetMapping
    ResponseEntity<?> history(@Parameter(description = "A booking id or a resource id; required")
            @RequestParam(required = false) @Nullable String aggregateId) {
        if (aggregateId == null || aggregateId.isBlank()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "Give aggregateId (a booking or resource id): /ops/events?aggregateId=...");
            problem.setTitle("aggregateId required");
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        List<Map<String, Object>> events = jdbc.query("""
                SELECT seq, id, aggregate_type, event_type, correlation_id, causation_id, occurred_at, recorded_at, payload
                FROM outbox_event WHERE aggregate_id = ? ORDER BY seq LIMIT ?""", (row, n) -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("sequence", row.getLong("seq"));
            event.put("eventId", row.getObject("id"));
            event.put("topic", row.getString("aggregate_type"));
            event.put("eventType", row.getString("event_type"));
            event.put("correlationId", row.getString("correlation_id"));
            event.put("causationId", row.getObject("causation_id"));
            event.put("occurredAt", row.getTimestamp("occurred_at").toInstant());
            event.put("recordedAt", row.getTimestamp("recorded_at").toInstant());
            try {
                event.put("event", EventJson.of(decoder.deserialize(row.getString("aggregate_type"), row.getBytes("payload"))));
            }
            catch (RuntimeException ex) {
                event.put("decodeError", ex.getClass().getName() + ": " + ex.getMessage());
            }
            return event;
        }, aggregateId, MAX_EVENTS);
        return ResponseEntity.ok(Map.of("aggregateId", aggregateId, "events", events));
    }

    @Operation(operationId = "eventStats", summary = "Count the events in the outbox and the dead letters",
            description = """
                    What this service's outbox holds (kept for its retention): how many events of each type, the oldest \
                    and newest recorded, and the total; and how many dead letters each original topic has, by status.""")
    @ApiResponse(responseCode = "200", description = "The counts", content = @Content(mediaType = "application/json",
            schema = @Schema(type = "object", description = "eventsByType ({event type: count}); oldest and newest (when"
                    + " the oldest and newest event in the outbox were recorded; null when it is empty); total;"
                    + " deadLettersByTopic ({original topic: {status: count}})")))
    @GetMapping("/stats")
    Map<String, Object> stats() {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Long> byType = new LinkedHashMap<>();
        jdbc.query("SELECT event_type, count(*) FROM outbox_event GROUP BY 1 ORDER BY 1",
                row -> {
                    byType.put(row.getString(1), row.getLong(2));
                });
        body.put("eventsByType", byType);
        jdbc.query("SELECT min(recorded_at), max(recorded_at), count(*) FROM outbox_event", row -> {
            body.put("oldest", row.getTimestamp(1) == null ? null : row.getTimestamp(1).toInstant());
            body.put("newest", row.getTimestamp(2) == null ? null : row.getTimestamp(2).toInstant());
            body.put("total", row.getLong(3));
        });
        body.put("deadLettersByTopic", deadLetters.countsByTopic());
        return body;
    }
}
