package dev.bookingplatform.eventing.autoconfigure;

import java.net.URI;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
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
@RestController
@RequestMapping("/ops/relay")
final class RelayOpsController {

    private static final int MAX_REASON_LENGTH = 500;

    private final RepublishRequests requests;

    private final OutboxRelayLifecycle relay;

    RelayOpsController(DataSource dataSource, OutboxRelayLifecycle relay) {
        this.requests = new RepublishRequests(dataSource);
        this.relay = relay;
    }

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

    @PostMapping("/republish")
    ResponseEntity<?> republish(@RequestBody(required = false) @Nullable RepublishBody body, @Nullable Principal principal) {
        if (body == null || body.fromSequence() == null || body.fromSequence() < 1 || body.reason() == null
                || body.reason().isBlank() || body.reason().length() > MAX_REASON_LENGTH) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "Give fromSequence (1 or more; GET /ops/relay suggests one) and a reason of at most "
                            + MAX_REASON_LENGTH + " characters");
            problem.setTitle("Invalid re-publish request");
            problem.setType(URI.create("https://booking-platform.dev/problems/invalid-republish-request"));
            return ResponseEntity.badRequest().body(problem);
        }
        long id = requests.file(body.fromSequence(), principal != null ? principal.getName() : "anonymous", body.reason());
        return ResponseEntity.accepted().body(Map.of("requestId", id, "fromSequence", body.fromSequence(),
                "status", "filed; the relay leader carries it out within seconds, from an earlier sequence if the stream"
                        + " may not have delivered rows before it (GET /ops/relay)"));
    }

    record RepublishBody(@Nullable Long fromSequence, @Nullable String reason) {
    }
}
