package dev.bookingplatform.eventing.timeline;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One step of an aggregate's history in one service.
 *
 * @param kind what happened: {@code PUBLISHED}, {@code CONSUMED}, {@code DEAD_LETTERED}, {@code OPS_ACTION}, or a
 *        service's own ({@code MAIL_SENT}, {@code WEBHOOK}, {@code STRIPE_CALL})
 * @param eventId the event this step is about: published, consumed, dead-lettered or acted on
 * @param causationId for a published event, the event whose handling wrote it (null when a request or job did)
 * @param detail what else is known, as JSON-ready values
 */
public record TimelineEntry(Instant at, String kind, @Nullable UUID eventId, @Nullable String eventType,
        @Nullable UUID causationId, String summary, Map<String, @Nullable Object> detail) {
}
