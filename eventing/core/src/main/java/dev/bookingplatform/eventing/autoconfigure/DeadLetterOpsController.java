package dev.bookingplatform.eventing.autoconfigure;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.eventing.consumer.ReceivedEventDeserializer;
import dev.bookingplatform.eventing.deadletter.DeadLetter;
import dev.bookingplatform.eventing.deadletter.DeadLetterFilter;
import dev.bookingplatform.eventing.deadletter.DeadLetterReplayer;
import dev.bookingplatform.eventing.deadletter.DeadLetterStore;
import dev.bookingplatform.eventing.deadletter.EventJson;

/**
 * Dead letters for operators: find them (from the index, never by scanning a topic), read one decoded beside its
 * error, replay it once its cause is fixed, skip it, or replay many by filter (with a dry run first). A dead letter
 * is named by its original coordinates, which the {@code kafka_dlt-original-*} headers of its DLT record carry.
 */
@Tag(name = "Ops")
@RestController
@RequestMapping(path = "/ops/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
final class DeadLetterOpsController {

    /** The members {@link #summary} writes, for the OpenAPI document. */
    private static final String SUMMARY_MEMBERS = "path (how ops address the letter, below /ops/dead-letters),"
            + " status (DEAD, PARKED, REPLAYED, SKIPPED), topic, partition and offset (its original coordinates), key,"
            + " bookingId, eventId, eventType, sagaStep, exceptionClass, exceptionMessage, attempts, deadLetteredAt,"
            + " deadLetterTopic (topic, partition and offset of its DLT record; null for a parked record), parkedBehind"
            + " (the open letter a parked record waits behind), replays, lastReplayError, resolvedAt, resolvedBy";

    /** The members of {@link DeadLetterReplayer.Outcome}, for the OpenAPI document. */
    private static final String OUTCOME_MEMBERS = "outcome: {result, detail, released (the parked records of its key"
            + " applied after it)}";

    private static final String NO_SUCH_LETTER = "This service has no dead letter at these original coordinates";

    private static final String JSON = "application/json";

    private static final int MAX_PAGE_SIZE = 200;

    private static final int MAX_REASON_LENGTH = 500;

    private static final int MAX_BULK = 1_000;

    private final String consumerGroup;

    private final DeadLetterStore store;

    private final DeadLetterReplayer replayer;

    private final ReceivedEventDeserializer decoder;

    DeadLetterOpsController(String consumerGroup, DeadLetterStore store, DeadLetterReplayer replayer,
            ReceivedEventDeserializer decoder) {
        this.consumerGroup = consumerGroup;
        this.store = store;
        this.replayer = replayer;
        this.decoder = decoder;
    }

    @Operation(operationId = "listDeadLetters", summary = "List this service's dead letters, newest first",
            description = """
                    The dead letters of this service's consumer group, from the index (no topic is scanned), newest \
                    first, one page at a time. Every filter left out matches all; together they must all match. A \
                    page or size out of range is a 400.""")
    @ApiResponse(responseCode = "200", description = "One page of dead letters", content = @Content(mediaType = JSON,
            schema = @Schema(type = "object", description = "consumerGroup; items, each a dead letter: " + SUMMARY_MEMBERS
                    + "; page; size; total (the letters matching the filters)")))
    @GetMapping
    ResponseEntity<?> list(@Parameter(description = "Only letters from this original topic")
            @RequestParam(required = false) @Nullable String topic,
            @Parameter(description = "Only letters of this event type (the Avro record's name)")
            @RequestParam(required = false) @Nullable String eventType,
            @Parameter(description = "Only letters about this booking") @RequestParam(required = false) @Nullable String bookingId,
            @Parameter(description = "Only letters whose failure was this exception (its fully qualified class name)")
            @RequestParam(required = false) @Nullable String exceptionClass,
            @Parameter(description = "Only letters in this status")
            @RequestParam(required = false) DeadLetter.@Nullable Status status,
            @Parameter(description = "Only letters dead-lettered at or after this instant (ISO-8601)")
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant from,
            @Parameter(description = "Only letters dead-lettered before this instant (ISO-8601)")
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant to,
            @Parameter(description = "Only letters still open (DEAD or PARKED)") @RequestParam(defaultValue = "false") boolean open,
            @Parameter(description = "The page, from 0") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "Letters per page, 1 to 200") @RequestParam(defaultValue = "50") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            return problem(HttpStatus.BAD_REQUEST, "Invalid page", "page must be 0 or more and size 1 to " + MAX_PAGE_SIZE);
        }
        DeadLetterFilter filter = new DeadLetterFilter(consumerGroup, topic, eventType, bookingId, exceptionClass, status, from,
                to, open);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("consumerGroup", consumerGroup);
        body.put("items", store.list(filter, page, size).stream().map(DeadLetterOpsController::summary).toList());
        body.put("page", page);
        body.put("size", size);
        body.put("total", store.count(filter));
        return ResponseEntity.ok(body);
    }

    @Operation(operationId = "getDeadLetter", summary = "Get one dead letter with its event decoded and its history",
            description = """
                    The dead letter at these original coordinates, with its event decoded from its stored record beside \
                    the error that stopped it, the DLT record's headers, every act on it (who, why, how it went) and how \
                    to end its booking instead of replaying it.""")
    @ApiResponse(responseCode = "200", description = "The dead letter", content = @Content(mediaType = JSON,
            schema = @Schema(type = "object", description = SUMMARY_MEMBERS + "; event (the event as JSON; null when the record"
                    + " has no value or could not be decoded); decodeError (only when it could not be decoded); headers;"
                    + " actions, each {action, actor, reason, outcome, detail, at}; compensation")))
    @ApiResponse(responseCode = "404", description = NO_SUCH_LETTER, content = @Content)
    @GetMapping("/{topic}/{partition}/{offset}")
    ResponseEntity<?> show(@Parameter(description = "The topic the record was consumed from") @PathVariable String topic,
            @Parameter(description = "Its partition there") @PathVariable int partition,
            @Parameter(description = "Its offset there") @PathVariable long offset) {
        return store.find(consumerGroup, topic, partition, offset).<ResponseEntity<?>>map(letter -> {
            Map<String, Object> body = summary(letter);
            DeadLetterStore.StoredRecord record = store.record(letter.id());
            try {
                body.put("event", record.value() == null ? null : EventJson.of(decoder.deserialize(topic, record.value()).event()));
            }
            catch (RuntimeException ex) {
                body.put("event", null);
                body.put("decodeError", ex.getClass().getName() + ": " + ex.getMessage());
            }
            body.put("headers", record.headers());
            body.put("actions", store.actions(letter.id()));
            body.put("compensation", "to end this booking instead (release, refund): skip this dead letter here first,"
                    + " then POST /ops/bookings/" + letter.bookingId() + "/compensate on booking-service (a dead-lettered"
                    + " payment is replayed, never skipped)");
            return ResponseEntity.ok(body);
        }).orElseGet(() -> notFound(topic, partition, offset));
    }

    @Operation(operationId = "replayDeadLetter", summary = "Replay a dead letter once its cause is fixed",
            description = """
                    Applies the dead letter through the same handler and inbox as a live delivery, then the records of \
                    its key parked behind it, in order, until one fails (that one becomes the key's open dead letter). \
                    The body's `reason` (required, at most 500 characters) is kept with the letter, as is the act \
                    and its caller. A replay that fails again is still a 200: `outcome.result` says FAILED.""")
    @ApiResponse(responseCode = "200", description = "Replayed, or tried: outcome.result is APPLIED, ALREADY_APPLIED (the"
            + " inbox had the event: nothing changed, the letter is resolved) or FAILED (the handler failed again: the letter"
            + " stays open, lastReplayError says why)", content = @Content(mediaType = JSON, schema = @Schema(type = "object",
                    description = "The dead letter as it is now: " + SUMMARY_MEMBERS + "; " + OUTCOME_MEMBERS)))
    @ApiResponse(responseCode = "404", description = NO_SUCH_LETTER, content = @Content)
    // A refusal's body is the letter with its outcome (application/json); the problem type is listed as on every error.
    @ApiResponse(responseCode = "409", description = "Nothing done: the letter was replayed or skipped before"
            + " (ALREADY_RESOLVED), or an earlier dead letter of its key is still open (BEHIND_AN_OPEN_ONE; outcome.detail"
            + " names it: replay or skip that one first). The refusal is recorded with the letter; the body is the letter"
            + " with its outcome, as for a 200, not a problem detail", content = @Content(mediaType = JSON,
                    schema = @Schema(type = "object", description = "The dead letter: " + SUMMARY_MEMBERS + "; " + OUTCOME_MEMBERS)))
    @PostMapping("/{topic}/{partition}/{offset}/replay")
    ResponseEntity<?> replay(@Parameter(description = "The topic the record was consumed from") @PathVariable String topic,
            @Parameter(description = "Its partition there") @PathVariable int partition,
            @Parameter(description = "Its offset there") @PathVariable long offset,
            @RequestBody(required = false) @Nullable Reason reason, @Nullable Principal principal) {
        return act(topic, partition, offset, reason, principal, (letter, actor, why) -> replayer.replay(letter, actor, why));
    }

    @Operation(operationId = "skipDeadLetter", summary = "Skip a dead letter: it will never be applied",
            description = """
                    Resolves the dead letter as SKIPPED without applying it, then applies the records of its key parked \
                    behind it, in order, until one fails. A letter whose handler may only be replayed (an event carrying \
                    money, such as a payment) is never skipped. The body's `reason` (required, at most 500 characters) \
                    is kept with the letter, as is the act and its caller, refused or not.""")
    @ApiResponse(responseCode = "200", description = "Skipped: outcome.result is SKIPPED", content = @Content(mediaType = JSON,
            schema = @Schema(type = "object",
                    description = "The dead letter as it is now: " + SUMMARY_MEMBERS + "; " + OUTCOME_MEMBERS)))
    @ApiResponse(responseCode = "404", description = NO_SUCH_LETTER, content = @Content)
    @ApiResponse(responseCode = "409", description = "Nothing done: its handler says it may only be replayed"
            + " (NOT_SKIPPABLE; outcome.detail says why), or the letter was replayed or skipped before (ALREADY_RESOLVED)."
            + " The refusal is recorded with the letter; the body is the letter with its outcome, as for a 200, not a"
            + " problem detail", content = @Content(mediaType = JSON,
                    schema = @Schema(type = "object", description = "The dead letter: " + SUMMARY_MEMBERS + "; " + OUTCOME_MEMBERS)))
    @PostMapping("/{topic}/{partition}/{offset}/skip")
    ResponseEntity<?> skip(@Parameter(description = "The topic the record was consumed from") @PathVariable String topic,
            @Parameter(description = "Its partition there") @PathVariable int partition,
            @Parameter(description = "Its offset there") @PathVariable long offset,
            @RequestBody(required = false) @Nullable Reason reason, @Nullable Principal principal) {
        return act(topic, partition, offset, reason, principal, (letter, actor, why) -> replayer.skip(letter, actor, why));
    }

    /** Replays every open dead letter matching the filter, oldest first; {@code dryRun} (the default) only lists them. */
    @Operation(operationId = "replayDeadLetters", summary = "Replay every open dead letter a filter matches",
            description = """
                    Replays the open dead letters of this service that the body's filters match, oldest first, at most \
                    `limit` (1 to 1,000, default 1,000), one by one as a single replay does; a parked one is released by \
                    the replay of the one ahead of it. With `dryRun` (the default) nothing changes: each letter says what \
                    a run would do with it. `reason` (required, at most 500 characters) is kept with every letter \
                    replayed. The outcome of each replay is in its item, so a run is a 200 whatever they are.""")
    @ApiResponse(responseCode = "200", description = "The run, or the dry run", content = @Content(mediaType = JSON,
            schema = @Schema(type = "object", description = "dryRun; matched (how many letters the run took); items,"
                    + " oldest first, each a dead letter (" + SUMMARY_MEMBERS + ") with, after a run, its outcome {result, detail,"
                    + " released} (ALREADY_RESOLVED when the replay of an earlier one released it), or in a dry run"
                    + " wouldBe: REPLAY, RELEASED_BY_AN_EARLIER_ONE, or BEHIND_AN_OPEN_ONE (naming the open letter ahead"
                    + " of it that the filters leave out)")))
    @PostMapping("/replay")
    ResponseEntity<?> replayAll(@RequestBody(required = false) @Nullable BulkReplay request, @Nullable Principal principal) {
        if (request == null || invalidReason(request.reason())) {
            return invalidReason();
        }
        int limit = request.limit() == null ? MAX_BULK : request.limit();
        if (limit < 1 || limit > MAX_BULK) {
            return problem(HttpStatus.BAD_REQUEST, "Invalid limit", "limit must be 1 to " + MAX_BULK);
        }
        boolean dryRun = request.dryRun() == null || request.dryRun();
        DeadLetterFilter filter = new DeadLetterFilter(consumerGroup, request.topic(), request.eventType(), request.bookingId(),
                request.exceptionClass(), request.status(), request.from(), request.to(), true);
        List<Map<String, Object>> items = replayer.replayAll(filter, dryRun, limit, actor(principal), request.reason()).stream()
                .map(item -> {
                    Map<String, Object> row = summary(item.deadLetter());
                    if (item.outcome() != null) {
                        row.put("outcome", item.outcome());
                    }
                    if (item.wouldBe() != null) {
                        row.put("wouldBe", item.wouldBe());
                    }
                    return row;
                }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dryRun", dryRun);
        body.put("matched", items.size());
        body.put("items", items);
        return ResponseEntity.ok(body);
    }

    private ResponseEntity<?> act(String topic, int partition, long offset, @Nullable Reason reason, @Nullable Principal principal,
            Act act) {
        if (reason == null || invalidReason(reason.reason())) {
            return invalidReason();
        }
        return store.find(consumerGroup, topic, partition, offset).<ResponseEntity<?>>map(letter -> {
            DeadLetterReplayer.Outcome outcome = act.on(letter, actor(principal), reason.reason());
            HttpStatus status = switch (outcome.result()) {
                case ALREADY_RESOLVED, BEHIND_AN_OPEN_ONE, NOT_SKIPPABLE -> HttpStatus.CONFLICT;
                default -> HttpStatus.OK;
            };
            Map<String, Object> body = summary(store.find(letter.id()).orElse(letter));
            body.put("outcome", outcome);
            return ResponseEntity.status(status).body(body);
        }).orElseGet(() -> notFound(topic, partition, offset));
    }

    private static Map<String, Object> summary(DeadLetter letter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", "/ops/dead-letters" + letter.path());
        body.put("status", letter.status());
        body.put("topic", letter.topic());
        body.put("partition", letter.partition());
        body.put("offset", letter.offset());
        body.put("key", letter.key());
        body.put("bookingId", letter.bookingId());
        body.put("eventId", letter.eventId());
        body.put("eventType", letter.eventType());
        // The saga step a dead letter stops: the event this consumer group failed to apply.
        body.put("sagaStep", letter.consumerGroup() + " on " + letter.eventType());
        body.put("exceptionClass", letter.exceptionClass());
        body.put("exceptionMessage", letter.exceptionMessage());
        body.put("attempts", letter.attempts());
        body.put("deadLetteredAt", letter.deadLetteredAt());
        body.put("deadLetterTopic", letter.dltTopic() == null ? null
                : Map.of("topic", letter.dltTopic(), "partition", letter.dltPartition(), "offset", letter.dltOffset()));
        body.put("parkedBehind", letter.parkedBehind());
        body.put("replays", letter.replays());
        body.put("lastReplayError", letter.lastReplayError());
        body.put("resolvedAt", letter.resolvedAt());
        body.put("resolvedBy", letter.resolvedBy());
        return body;
    }

    private static String actor(@Nullable Principal principal) {
        return principal == null ? "anonymous" : principal.getName();
    }

    private static boolean invalidReason(@Nullable String reason) {
        return reason == null || reason.isBlank() || reason.length() > MAX_REASON_LENGTH;
    }

    private static ResponseEntity<ProblemDetail> invalidReason() {
        return problem(HttpStatus.BAD_REQUEST, "Reason required",
                "Say why, in a JSON body {\"reason\": \"...\"} of at most " + MAX_REASON_LENGTH + " characters; it is kept with the dead letter");
    }

    private static ResponseEntity<ProblemDetail> notFound(String topic, int partition, long offset) {
        return problem(HttpStatus.NOT_FOUND, "No such dead letter", "No dead letter of this service at " + topic + "/"
                + partition + "/" + offset + " (the original topic, partition and offset)");
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("https://booking-platform.dev/problems/" + title.toLowerCase().replace(' ', '-')));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @FunctionalInterface
    private interface Act {
        DeadLetterReplayer.Outcome on(DeadLetter letter, String actor, String reason);
    }

    record Reason(@Schema(description = "Why: required, at most 500 characters; kept with the dead letter")
            @Nullable String reason) {
    }

    /** A bulk replay: the run's settings, then filters as for the list (every one left out matches all). */
    record BulkReplay(@Schema(description = "Why: required, at most 500 characters; kept with every letter replayed")
            @Nullable String reason,
            @Schema(description = "Only say what a run would do, changing nothing; true when left out") @Nullable Boolean dryRun,
            @Schema(description = "The most letters to take, 1 to 1000; 1000 when left out") @Nullable Integer limit,
            @Schema(description = "Only letters from this original topic") @Nullable String topic,
            @Schema(description = "Only letters of this event type") @Nullable String eventType,
            @Schema(description = "Only letters about this booking") @Nullable String bookingId,
            @Schema(description = "Only letters whose failure was this exception (fully qualified class name)")
            @Nullable String exceptionClass,
            @Schema(description = "Only open letters in this status (DEAD or PARKED)") DeadLetter.@Nullable Status status,
            @Schema(description = "Only letters dead-lettered at or after this instant") @Nullable Instant from,
            @Schema(description = "Only letters dead-lettered before this instant") @Nullable Instant to) {
    }
}
