package dev.bookingplatform.eventing.autoconfigure;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
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
@RestController
@RequestMapping("/ops/dead-letters")
final class DeadLetterOpsController {

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

    @GetMapping
    ResponseEntity<?> list(@RequestParam(required = false) @Nullable String topic,
            @RequestParam(required = false) @Nullable String eventType, @RequestParam(required = false) @Nullable String bookingId,
            @RequestParam(required = false) @Nullable String exceptionClass,
            @RequestParam(required = false) DeadLetter.@Nullable Status status,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant to,
            @RequestParam(defaultValue = "false") boolean open, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
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

    @GetMapping("/{topic}/{partition}/{offset}")
    ResponseEntity<?> show(@PathVariable String topic, @PathVariable int partition, @PathVariable long offset) {
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

    @PostMapping("/{topic}/{partition}/{offset}/replay")
    ResponseEntity<?> replay(@PathVariable String topic, @PathVariable int partition, @PathVariable long offset,
            @RequestBody(required = false) @Nullable Reason reason, @Nullable Principal principal) {
        return act(topic, partition, offset, reason, principal, (letter, actor, why) -> replayer.replay(letter, actor, why));
    }

    @PostMapping("/{topic}/{partition}/{offset}/skip")
    ResponseEntity<?> skip(@PathVariable String topic, @PathVariable int partition, @PathVariable long offset,
            @RequestBody(required = false) @Nullable Reason reason, @Nullable Principal principal) {
        return act(topic, partition, offset, reason, principal, (letter, actor, why) -> replayer.skip(letter, actor, why));
    }

    /** Replays every open dead letter matching the filter, oldest first; {@code dryRun} (the default) only lists them. */
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
        return ResponseEntity.status(status).body(problem);
    }

    @FunctionalInterface
    private interface Act {
        DeadLetterReplayer.Outcome on(DeadLetter letter, String actor, String reason);
    }

    record Reason(@Nullable String reason) {
    }

    record BulkReplay(@Nullable String reason, @Nullable Boolean dryRun, @Nullable Integer limit, @Nullable String topic,
            @Nullable String eventType, @Nullable String bookingId, @Nullable String exceptionClass,
            DeadLetter.@Nullable Status status, @Nullable Instant from, @Nullable Instant to) {
    }
}
