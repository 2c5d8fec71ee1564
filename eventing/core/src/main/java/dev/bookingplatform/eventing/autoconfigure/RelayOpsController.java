package dev.bookingplatform.eventing.autoconfigure;

import java.net.URI;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.eventing.relay.RelayStatus;
import dev.bookingplatform.eventing.relay.RepublishRequests;

/**
 * The relay for operators: where it stands, and re-publishing the outbox from a sequence number (the way back
 * from a lost replication slot, or for a consumer that lost what it had).
 */
@Tag(name = "Ops")
@RestController
@RequestMapping(path = "/ops/relay", produces = MediaType.APPLICATION_JSON_VALUE)
final class RelayOpsController {

    private static final int MAX_REASON_LENGTH = 500;

    private final RepublishRequests requests;

    private final OutboxRelayLifecycle relay;

    RelayOpsController(DataSource dataSource, OutboxRelayLifecycle relay) {
        this.requests = new RepublishRequests(dataSource);
        this.relay = relay;
    }

    @Operation(operationId = "getRelayStatus", summary = "Get where the outbox relay stands",
            description = """
                    The outbox relay as this replica sees it: its state (STANDBY while another replica leads), since \
                    when, its leader term and last error, the replication slot it streams from, where a re-publish \
                    should start so nothing committed since the relay's last stored offset is missed, and the 20 latest \
                    re-publish requests with how each went.""")
    @ApiResponse(responseCode = "200", description = "The relay's status", content = @Content(mediaType = "application/json",
            schema = @Schema(type = "object", description = "state (STOPPED, STANDBY, STARTING, RUNNING, FAILED); since;"
                    + " term (the leader term this replica leads in, 0 if it never led); error (null unless FAILED); slot;"
                    + " suggestedRepublishFrom (a sequence number); republishRequests, newest first, each {id, fromSequence,"
                    + " requestedBy, reason, requestedAt, doneAt (null until carried out), republished, error,"
                    + " effectiveFromSequence (where it really started), attempts}")))
    @GetMapping
    Map<String, Object> relay() {
        RelayStatus status = relay.status();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", status.state().name());
        body.put("since", status.since().toString());
        body.put("term", status.term());
        body.put("error", status.error());
        body.put("slot", relay.settings().slotName());
        body.put("suggestedRepublishFrom", requests.suggestedFrom());
        body.put("republishRequests", requests.recent(20));
        return body;
    }

    @Operation(operationId = "republishOutbox", summary = "Request a re-publish of the outbox from a sequence number",
            description = """
                    Files a request to publish the outbox again from `fromSequence` (1 or more; GET /ops/relay suggests \
                    one): the way back from a lost replication slot, or for a consumer that lost what it had. The replica \
                    leading the relay carries it out within seconds, from an earlier sequence if the stream may not have \
                    delivered rows before it; any replica accepts the request. `reason` (required, at most 500 \
                    characters) is kept with it, as is the caller. Consumers receive the events again; their inboxes \
                    skip those they already applied.""")
    @ApiResponse(responseCode = "202", description = "Filed: the relay leader carries it out; GET /ops/relay shows how it went",
            content = @Content(mediaType = "application/json", schema = @Schema(type = "object",
                    description = "requestId; fromSequence; status (what happens next, in words)")))
    @PostMapping("/republish")
    ResponseEntity<?> republish(@RequestBody(required = false) @Nullable RepublishBody body, @Nullable Principal principal) {
        if (body == null || body.fromSequence() == null || body.fromSequence() < 1 || body.reason() == null
                || body.reason().isBlank() || body.reason().length() > MAX_REASON_LENGTH) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "Give fromSequence (1 or more; GET /ops/relay suggests one) and a reason of at most "
                            + MAX_REASON_LENGTH + " characters");
            problem.setTitle("Invalid re-publish request");
            problem.setType(URI.create("https://booking-platform.dev/problems/invalid-republish-request"));
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        long id = requests.file(body.fromSequence(), principal != null ? principal.getName() : "anonymous", body.reason());
        return ResponseEntity.accepted().body(Map.of("requestId", id, "fromSequence", body.fromSequence(),
                "status", "filed; the relay leader carries it out within seconds, from an earlier sequence if the stream"
                        + " may not have delivered rows before it (GET /ops/relay)"));
    }

    record RepublishBody(@Schema(description = "The outbox sequence number to publish again from: 1 or more; required")
            @Nullable Long fromSequence,
            @Schema(description = "Why: required, at most 500 characters; kept with the request") @Nullable String reason) {
    }
}
