package dev.bookingplatform.booking.api;

import java.io.IOException;
import java.sql.Array;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.bookingplatform.booking.saga.BookingStatus;
import dev.bookingplatform.web.ApiProblemException;

/**
 * Pushes each booking's status changes to its subscribers, read from {@code booking_transition} and never from this
 * replica's memory: a change handled by another replica reaches a subscriber here as well. One query a tick serves
 * every subscriber of this replica; each change's event id is its transition row's id, ordered per booking (the
 * saga changes a booking under its row lock), so {@code Last-Event-ID} resumes exactly after what a client saw.
 */
@Component
class BookingStatusStream implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BookingStatusStream.class);

    /** Well inside the one second a gateway may wait to hear of a change. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    /** Proxies close a silent connection; a comment line keeps it open and finds clients that left. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    /** A stream ends after this even if the booking has not; the client reconnects with Last-Event-ID. */
    static final Duration STREAM_LIFETIME = Duration.ofMinutes(10);

    /** What a client waits before reconnecting after the stream ends or breaks. */
    static final Duration RECONNECT_AFTER = Duration.ofSeconds(1);

    private static final String CHANGES = """
            SELECT id, booking_id, from_status, to_status, at FROM booking_transition
            WHERE booking_id = ANY(?) AND id > ? AND accepted AND from_status IS DISTINCT FROM to_status
            ORDER BY id""";

    private final JdbcTemplate jdbc;

    private final Map<UUID, List<Subscriber>> subscribers = new ConcurrentHashMap<>();

    private @Nullable ScheduledExecutorService poller;

    private volatile Instant lastKeepAlive = Instant.now();

    BookingStatusStream(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One status change, as the stream's {@code data}. */
    @Schema(name = "BookingStatusChange", description = "One change of a booking's status, pushed as an event named `status`"
            + " whose id is the change's position in the booking's history (send it back as Last-Event-ID)")
    record StatusChange(UUID bookingId, BookingStatus status,
            @Schema(description = "null for the booking's first status") @Nullable BookingStatus previousStatus, Instant at) {
    }

    /** One customer's concurrent streams: a gateway opens one per booking a person watches, not thousands. */
    static final int MAX_STREAMS_PER_SUBJECT = 20;

    /** This replica's streams: each holds a connection; past this, clients are sent to another replica or later. */
    static final int MAX_STREAMS = 2_000;

    /**
     * Sends what happened after {@code lastEventId} at once, then every later change until the booking reaches a
     * final state or the stream's lifetime ends.
     *
     * @param endedAlready whether the booking was in a final state when asked: the catch-up then ends the stream
     * @throws ApiProblemException 429 past the caller's share of streams, 503 past this replica's or while it stops
     */
    SseEmitter subscribe(String subject, UUID bookingId, long lastEventId, boolean endedAlready) {
        if (!isRunning()) {
            throw new ApiProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Stopping",
                    "This replica is stopping; reconnect with Last-Event-ID").retryAfter(RECONNECT_AFTER);
        }
        SseEmitter emitter = new SseEmitter(STREAM_LIFETIME.toMillis());
        Subscriber subscriber = new Subscriber(subject, bookingId, emitter, lastEventId);
        register(subscriber);
        emitter.onCompletion(() -> remove(subscriber));
        emitter.onTimeout(() -> {
            remove(subscriber);
            // Ended here, as at a final state: the client reconnects with Last-Event-ID.
            emitter.complete();
        });
        emitter.onError(error -> remove(subscriber));
        try {
            // The catch-up goes to this subscriber alone: another one of the booking has a cursor of its own.
            changesAfter(List.of(bookingId), lastEventId).forEach(subscriber::send);
        }
        catch (RuntimeException ex) {
            remove(subscriber);
            throw ex;
        }
        if (endedAlready) {
            subscriber.end();
        }
        return emitter;
    }

    /** Whether anything happened to the booking after {@code lastEventId}: an ended booking with nothing new is 204. */
    boolean hasChangesAfter(UUID bookingId, long lastEventId) {
        return !changesAfter(List.of(bookingId), lastEventId).isEmpty();
    }

    private synchronized void register(Subscriber subscriber) {
        long ofSubject = subscribers.values().stream().flatMap(List::stream)
                .filter(other -> other.subject.equals(subscriber.subject)).count();
        if (ofSubject >= MAX_STREAMS_PER_SUBJECT) {
            throw new ApiProblemException(HttpStatus.TOO_MANY_REQUESTS, "Too many streams",
                    "This token already follows " + ofSubject + " bookings here; close one first").retryAfter(KEEP_ALIVE);
        }
        if (subscriberCount() >= MAX_STREAMS) {
            throw new ApiProblemException(HttpStatus.SERVICE_UNAVAILABLE, "No stream free",
                    "This replica serves as many streams as it may; try again later").retryAfter(KEEP_ALIVE);
        }
        subscribers.compute(subscriber.bookingId, (id, ofBooking) -> {
            List<Subscriber> list = ofBooking == null ? new CopyOnWriteArrayList<>() : ofBooking;
            list.add(subscriber);
            return list;
        });
    }

    private void poll() {
        try {
            // Who is served this tick, and from where: every row after each one's cursor is in the one query below.
            List<Subscriber> served = subscribers.values().stream().flatMap(List::stream).toList();
            if (served.isEmpty()) {
                return;
            }
            long from = served.stream().mapToLong(subscriber -> subscriber.lastSent).min().orElse(0);
            List<UUID> bookings = served.stream().map(subscriber -> subscriber.bookingId).distinct().toList();
            List<Change> changes = changesAfter(bookings, from);
            for (Subscriber subscriber : served) {
                for (Change change : changes) {
                    if (change.data().bookingId().equals(subscriber.bookingId)) {
                        subscriber.send(change);
                    }
                }
            }
            if (Duration.between(lastKeepAlive, Instant.now()).compareTo(KEEP_ALIVE) >= 0) {
                lastKeepAlive = Instant.now();
                served.forEach(Subscriber::keepAlive);
            }
        }
        catch (RuntimeException ex) {
            // A database away for a moment: subscribers keep their positions and get the changes on a later tick.
            log.warn("Reading booking status changes for {} stream(s) failed: {}", subscriberCount(), ex.toString());
        }
    }

    private List<Change> changesAfter(List<UUID> bookingIds, long afterId) {
        return jdbc.execute((ConnectionCallback<List<Change>>) connection -> {
            Array ids = connection.createArrayOf("uuid", bookingIds.toArray());
            try (var statement = connection.prepareStatement(CHANGES)) {
                statement.setArray(1, ids);
                statement.setLong(2, afterId);
                List<Change> changes = new ArrayList<>();
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String from = rows.getString("from_status");
                        changes.add(new Change(rows.getLong("id"), new StatusChange(rows.getObject("booking_id", UUID.class),
                                BookingStatus.valueOf(rows.getString("to_status")), from == null ? null : BookingStatus.valueOf(from),
                                rows.getTimestamp("at").toInstant())));
                    }
                }
                return changes;
            }
        });
    }

    private void remove(Subscriber subscriber) {
        subscribers.computeIfPresent(subscriber.bookingId, (id, ofBooking) -> {
            ofBooking.remove(subscriber);
            return ofBooking.isEmpty() ? null : ofBooking;
        });
    }

    /** How many streams this replica serves. */
    int subscriberCount() {
        return subscribers.values().stream().mapToInt(List::size).sum();
    }

    private record Change(long id, StatusChange data) {
    }

    private final class Subscriber {

        private final String subject;

        private final UUID bookingId;

        private final SseEmitter emitter;

        /** Written by whichever thread sends; a subscriber's sends are serialised on it. */
        private volatile long lastSent;

        Subscriber(String subject, UUID bookingId, SseEmitter emitter, long lastSent) {
            this.subject = subject;
            this.bookingId = bookingId;
            this.emitter = emitter;
            this.lastSent = lastSent;
        }

        synchronized void send(Change change) {
            if (change.id() <= lastSent) {
                return;
            }
            try {
                emitter.send(SseEmitter.event().id(Long.toString(change.id())).name("status")
                        .reconnectTime(RECONNECT_AFTER.toMillis()).data(change.data(), MediaType.APPLICATION_JSON));
                lastSent = change.id();
                if (change.data().status().isFinal()) {
                    end();
                }
            }
            catch (IOException | IllegalStateException gone) {
                // The client left (or the stream already ended): nothing to resume here, it reconnects if it wants.
                remove(this);
            }
        }

        /** After a final state nothing more can come: a reconnect is answered 204, which tells a client to stop. */
        synchronized void end() {
            remove(this);
            emitter.complete();
        }

        synchronized void keepAlive() {
            try {
                emitter.send(SseEmitter.event().comment("keep-alive"));
            }
            catch (IOException | IllegalStateException gone) {
                remove(this);
            }
        }
    }

    @Override
    public synchronized void start() {
        poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "booking-status-stream");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::poll, POLL_INTERVAL.toMillis(), POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
        // Clients reconnect with Last-Event-ID, to this replica once it is back or to another one.
        subscribers.values().forEach(ofBooking -> ofBooking.forEach(subscriber -> subscriber.emitter.complete()));
        subscribers.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return poller != null;
    }
}
