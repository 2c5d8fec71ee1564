package dev.bookingplatform.eventing.deadletter;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One row of the dead-letter index. The original coordinates name it (they are in every DLT record's
 * {@code kafka_dlt-original-*} headers); the DLT coordinates are where the record itself lies, none for a
 * parked record.
 *
 * @param parkedBehind for a parked record: the open dead letter of its key it waits behind
 * @param replays how many times ops replayed it (or it was released from parking)
 */
public record DeadLetter(long id, String consumerGroup, @Nullable String key, String topic, int partition, long offset,
        @Nullable String dltTopic, @Nullable Integer dltPartition, @Nullable Long dltOffset, @Nullable UUID eventId,
        @Nullable String eventType, @Nullable String bookingId, @Nullable String exceptionClass,
        @Nullable String exceptionMessage, int attempts, Status status, @Nullable Long parkedBehind,
        @Nullable Instant deadLetteredAt, @Nullable Instant resolvedAt, @Nullable String resolvedBy,
        @Nullable String lastReplayError, int replays) {

    public enum Status {
        /** Could not be applied: waits for ops (replay once the cause is fixed, or skip). */
        DEAD,
        /** A later record of a key with a dead letter open: applied in order once that is replayed or skipped. */
        PARKED,
        /** Applied by a replay (or found applied already: the inbox had it). */
        REPLAYED,
        /** Never to be applied, as ops decided. */
        SKIPPED;

        public boolean isOpen() {
            return this == DEAD || this == PARKED;
        }
    }

    /** The path ops address it by, below {@code /ops/dead-letters}. */
    public String path() {
        return "/" + topic + "/" + partition + "/" + offset;
    }
}
