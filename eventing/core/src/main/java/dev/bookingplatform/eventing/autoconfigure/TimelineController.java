package dev.bookingplatform.eventing.autoconfigure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.eventing.timeline.TimelineEntry;
import dev.bookingplatform.eventing.timeline.TimelineSource;

/**
 * {@code GET /ops/timeline/{aggregateId}}: this service's steps of one booking (or resource), by its own clock. The
 * ops tool asks every service and orders the steps by cause, since clocks of different machines disagree.
 */
@Tag(name = "Ops")
@RestController
@RequestMapping(path = "/ops/timeline", produces = MediaType.APPLICATION_JSON_VALUE)
final class TimelineController {

    private final String service;

    private final List<TimelineSource> sources;

    TimelineController(String service, List<TimelineSource> sources) {
        this.service = service;
        this.sources = sources;
    }

    @Operation(operationId = "getTimeline", summary = "Get this service's steps of one booking or resource",
            description = """
                    This service's steps of one aggregate (a booking or a resource): events it published, consumed or \
                    dead-lettered, ops' acts, and its own steps (mails sent, webhooks, Stripe calls), ordered by this \
                    service's clock. The ops tool asks every service and orders the steps by cause, since the clocks of \
                    different machines disagree. An aggregate this service never saw has no entries (still a 200).""")
    @ApiResponse(responseCode = "200", description = "The aggregate's steps in this service, oldest first",
            content = @Content(mediaType = "application/json", schema = @Schema(type = "object", description = "service (this"
                    + " service's name); aggregateId; entries, each {at, kind (PUBLISHED, CONSUMED, DEAD_LETTERED,"
                    + " OPS_ACTION, or a service's own: MAIL_SENT, WEBHOOK, STRIPE_CALL...), eventId, eventType,"
                    + " causationId (for a published event, the event whose handling wrote it), summary, detail (an object)}")))
    @GetMapping("/{aggregateId}")
    Map<String, Object> timeline(@Parameter(description = "A booking id or a resource id") @PathVariable String aggregateId) {
        List<TimelineEntry> entries = new ArrayList<>();
        sources.forEach(source -> entries.addAll(source.entriesOf(aggregateId)));
        entries.sort(Comparator.comparing(TimelineEntry::at));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", service);
        body.put("aggregateId", aggregateId);
        body.put("entries", entries);
        return body;
    }
}
