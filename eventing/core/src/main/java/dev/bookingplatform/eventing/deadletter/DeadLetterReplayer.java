package dev.bookingplatform.eventing.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.consumer.IdempotentEventDispatcher;
import dev.bookingplatform.eventing.consumer.ReceivedEvent;
import dev.bookingplatform.eventing.consumer.ReceivedEventDeserializer;

/**
 * What ops do to a dead letter: replay it through the same handler and inbox as a live delivery, or skip it;
 * either way the records of its key parked behind it are then applied in their order, until one fails (it
 * becomes the key's open dead letter). Every act is recorded with the letter: who, why, how it went.
 *
 * <p>Each step holds the key's advisory lock, as the consumer does when it admits a record, so a live record
 * of the key is parked before a drain looks for it, or applied after the drain is done, never in between.
 */
public final class DeadLetterReplayer {

    /** Parked records released by one replay or skip; more are released by the next act on the key. */
    private static final int MAX_RELEASED = 10_000;

    private final DeadLetterStore store;

    private final DeadLetterIndex index;

    private final IdempotentEventDispatcher dispatcher;

    private final ReceivedEventDeserializer decoder;

    private final TransactionTemplate transactions;

    public DeadLetterReplayer(DeadLetterStore store, DeadLetterIndex index, IdempotentEventDispatcher dispatcher,
            ReceivedEventDeserializer decoder, TransactionTemplate transactions) {
        this.store = store;
        this.index = index;
        this.dispatcher = dispatcher;
        this.decoder = decoder;
        this.transactions = transactions;
    }

    /** How an act went. */
    public record Outcome(Result result, @Nullable String detail, int released) {

        public enum Result {
            /** The handler ran and committed. */
            APPLIED,
            /** The inbox had the event already: nothing changed, the letter is resolved. */
            ALREADY_APPLIED,
            SKIPPED,
            /** The handler failed again: the letter stays open with the new error. */
            FAILED,
            /** Replayed or skipped before: nothing done. */
            ALREADY_RESOLVED,
            /** An earlier dead letter of the same key is open: resolve that one first. */
            BEHIND_AN_OPEN_ONE,
            /** Its handler says it may only be replayed (an event carrying money): the skip was refused. */
            NOT_SKIPPABLE
        }

        Outcome withReleased(int count) {
            return new Outcome(result, detail, count);
        }

        public boolean resolved() {
            return result == Result.APPLIED || result == Result.ALREADY_APPLIED || result == Result.SKIPPED;
        }
    }

    public Outcome replay(DeadLetter letter, String actor, String reason) {
        Outcome outcome = apply(letter.id(), "REPLAY", actor, reason);
        return outcome.resolved() ? outcome.withReleased(release(letter, actor)) : outcome;
    }

    public Outcome skip(DeadLetter letter, String actor, String reason) {
        Optional<String> notSkippable = dispatcher.whyNotSkippable(letter.topic(), letter.eventType());
        if (notSkippable.isPresent()) {
            // What ops tried is kept with the letter too, refused or not.
            transactions.executeWithoutResult(status -> store.act(letter.id(), "SKIP", actor, reason,
                    Outcome.Result.NOT_SKIPPABLE.name(), notSkippable.get()));
            return new Outcome(Outcome.Result.NOT_SKIPPABLE, notSkippable.get(), 0);
        }
        Outcome outcome = transactions.execute(status -> {
            Optional<Outcome> refused = lockAndCheck(letter.id(), "SKIP", actor, reason, false);
            if (refused.isPresent()) {
                return refused.get();
            }
            store.resolve(letter.id(), DeadLetter.Status.SKIPPED, actor);
            store.act(letter.id(), "SKIP", actor, reason, Outcome.Result.SKIPPED.name(), null);
            return new Outcome(Outcome.Result.SKIPPED, null, 0);
        });
        return outcome.resolved() ? outcome.withReleased(release(letter, actor)) : outcome;
    }

    /**
     * Replays every open dead letter the filter matches, oldest first (a parked one is released by the replay
     * of the one ahead of it); with {@code dryRun}, only lists them and changes nothing.
     */
    public List<BulkItem> replayAll(DeadLetterFilter filter, boolean dryRun, int limit, String actor, String reason) {
        DeadLetterFilter open = new DeadLetterFilter(filter.consumerGroup(), filter.topic(), filter.eventType(),
                filter.bookingId(), filter.exceptionClass(), filter.status(), filter.from(), filter.to(), true);
        List<BulkItem> items = new ArrayList<>();
        List<DeadLetter> candidates = store.matching(open, limit);
        Set<Long> ahead = new HashSet<>();
        for (DeadLetter candidate : candidates) {
            if (dryRun) {
                items.add(new BulkItem(candidate, null, wouldBe(candidate, ahead)));
                ahead.add(candidate.id());
                continue;
            }
            DeadLetter now = store.find(candidate.id()).orElse(candidate);
            if (!now.status().isOpen()) {
                items.add(new BulkItem(candidate, new Outcome(Outcome.Result.ALREADY_RESOLVED,
                        "released by the replay of the one ahead of it", 0), null));
                continue;
            }
            items.add(new BulkItem(candidate, replay(now, actor, reason), null));
        }
        return items;
    }

    /**
     * Applies what waits behind nothing: keys whose first open dead letter is parked (see
     * {@link DeadLetterStore#strandedHeads}). Run periodically; safe beside ops and the consumer (same locks).
     *
     * @return records released
     */
    public int releaseStranded() {
        int released = 0;
        for (DeadLetter stranded : store.strandedHeads(dispatcher.consumerGroup(), 100)) {
            released += release(stranded, "stranded-parking-sweep");
        }
        return released;
    }

    /**
     * What a run would do with a letter, told in a dry run as the run would find it: replay it (the first open one of
     * its key), apply it as a parked record released by the replay of an earlier letter of the same run, or refuse it
     * because an open letter of its key that the filter leaves out is ahead of it.
     */
    private String wouldBe(DeadLetter candidate, Set<Long> ahead) {
        if (candidate.key() == null) {
            return "REPLAY";
        }
        Optional<DeadLetter> first = store.firstOpenOfKey(candidate.consumerGroup(), candidate.key());
        if (first.isEmpty() || first.get().id() == candidate.id()) {
            return "REPLAY";
        }
        return ahead.contains(first.get().id()) ? "RELEASED_BY_AN_EARLIER_ONE"
                : Outcome.Result.BEHIND_AN_OPEN_ONE.name() + " (" + first.get().path() + ", not in this run)";
    }

    /**
     * One dead letter of a bulk replay: how its replay went, or in a dry run ({@code outcome} null) what the run would
     * do with it ({@code wouldBe}).
     */
    public record BulkItem(DeadLetter deadLetter, @Nullable Outcome outcome, @Nullable String wouldBe) {
    }

    private Outcome apply(long id, String action, String actor, String reason) {
        try {
            return transactions.execute(status -> {
                Optional<Outcome> refused = lockAndCheck(id, action, actor, reason, true);
                if (refused.isPresent()) {
                    return refused.get();
                }
                boolean applied = dispatcher.replay(rebuild(store.find(id).orElseThrow()));
                Outcome.Result result = applied ? Outcome.Result.APPLIED : Outcome.Result.ALREADY_APPLIED;
                store.resolve(id, DeadLetter.Status.REPLAYED, actor);
                store.act(id, action, actor, reason, result.name(), null);
                return new Outcome(result, null, 0);
            });
        }
        catch (RuntimeException ex) {
            Throwable cause = handlerFailure(ex);
            String detail = cause.getClass().getName() + ": " + cause.getMessage();
            transactions.executeWithoutResult(status -> {
                store.replayFailed(id, cause);
                store.act(id, action, actor, reason, Outcome.Result.FAILED.name(), detail);
            });
            return new Outcome(Outcome.Result.FAILED, DeadLetterIndex.truncate(detail), 0);
        }
    }

    /** Takes the key's lock and the row's; says why nothing may be done, if so (and records the refusal). */
    private Optional<Outcome> lockAndCheck(long id, String action, String actor, String reason, boolean mustBeFirst) {
        DeadLetter letter = store.find(id).orElseThrow();
        if (letter.key() != null) {
            index.lockKey(letter.consumerGroup(), letter.key());
        }
        DeadLetter locked = store.lockForUpdate(id).orElseThrow();
        Outcome refusal = null;
        if (!locked.status().isOpen()) {
            refusal = new Outcome(Outcome.Result.ALREADY_RESOLVED, locked.status() + " at " + locked.resolvedAt() + " by "
                    + locked.resolvedBy(), 0);
        }
        else if (mustBeFirst && locked.key() != null) {
            DeadLetter first = store.firstOpenOfKeyForUpdate(locked.consumerGroup(), locked.key()).orElse(locked);
            if (first.id() != id) {
                refusal = new Outcome(Outcome.Result.BEHIND_AN_OPEN_ONE, "replay or skip " + first.path() + " first", 0);
            }
        }
        if (refusal != null) {
            store.act(id, action, actor, reason, refusal.result().name(), refusal.detail());
        }
        return Optional.ofNullable(refusal);
    }

    /** Applies the records parked behind a resolved letter, in order, until one fails or none is left. */
    private int release(DeadLetter resolved, String actor) {
        if (resolved.key() == null) {
            return 0;
        }
        int released = 0;
        while (released < MAX_RELEASED) {
            Optional<DeadLetter> next = firstOpenOfKey(resolved);
            if (next.isEmpty() || next.get().status() != DeadLetter.Status.PARKED) {
                return released;
            }
            Outcome outcome = apply(next.get().id(), "RELEASE", actor, "the dead letter ahead of it (" + resolved.path()
                    + ") was resolved");
            if (!outcome.resolved()) {
                return released;
            }
            released++;
        }
        return released;
    }

    private Optional<DeadLetter> firstOpenOfKey(DeadLetter resolved) {
        return transactions.execute(status -> store.firstOpenOfKeyForUpdate(resolved.consumerGroup(), resolved.key()));
    }

    private ConsumerRecord<byte[], ReceivedEvent> rebuild(DeadLetter letter) {
        DeadLetterStore.StoredRecord stored = store.record(letter.id());
        if (stored.value() == null) {
            throw new IllegalStateException("Dead letter " + letter.path() + " has no value to replay");
        }
        ReceivedEvent event = decoder.deserialize(letter.topic(), stored.value());
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, String> header : stored.headers().entrySet()) {
            headers.add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
        }
        byte[] key = letter.key() == null ? null : letter.key().getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(letter.topic(), letter.partition(), letter.offset(), ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE, key == null ? -1 : key.length, stored.value().length, key, event, headers,
                Optional.empty());
    }

    /** The handler's exception, not the transaction template's wrapping of it. */
    private static Throwable handlerFailure(RuntimeException ex) {
        Throwable cause = ex;
        while (cause instanceof org.springframework.transaction.TransactionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
