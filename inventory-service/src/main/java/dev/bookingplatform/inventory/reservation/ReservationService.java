package dev.bookingplatform.inventory.reservation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.bookingplatform.eventing.consumer.NonRetryableEventException;
import dev.bookingplatform.eventing.correlation.CorrelationScope;
import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.events.inventory.InventoryHoldExpired;
import dev.bookingplatform.events.inventory.InventoryRejected;
import dev.bookingplatform.events.inventory.InventoryReserved;
import dev.bookingplatform.events.inventory.RejectionReason;
import dev.bookingplatform.inventory.resource.Resource;
import dev.bookingplatform.inventory.resource.ResourceRepository;

/**
 * Step 2 of the saga and its compensations: hold capacity for a requested booking at today's prices,
 * make the hold a reservation on confirmation, give it back on cancellation, rejection or expiry. Every
 * method runs inside the caller's transaction (a consumed event's, or the expiry job's).
 */
@Service
public class ReservationService {

    private static final Logger log = LoggerFactory.getLogger(ReservationService.class);

    private final ResourceRepository resources;

    private final HoldRepository holds;

    private final SlotCapacity capacity;

    private final OutboxWriter outbox;

    private final EventMetadataFactory metadata;

    private final Clock clock;

    ReservationService(ResourceRepository resources, HoldRepository holds, SlotCapacity capacity, OutboxWriter outbox,
            EventMetadataFactory metadata) {
        this.resources = resources;
        this.holds = holds;
        this.capacity = capacity;
        this.outbox = outbox;
        this.metadata = metadata;
        this.clock = Clock.systemUTC();
    }

    public void reserve(BookingRequested request) {
        UUID bookingId = request.getBookingId();
        if (holds.find(bookingId).isPresent()) {
            log.info("Booking {} already has a hold; request ignored", bookingId);
            return;
        }
        Resource resource = resources.find(request.getResourceId()).orElse(null);
        if (resource == null) {
            reject(request, RejectionReason.UNKNOWN_RESOURCE, "The resource " + request.getResourceId() + " does not exist");
            return;
        }
        PriceQuote quote;
        try {
            quote = PriceQuote.of(resource, request.getQuantity(), request.getAddOns());
        }
        catch (IllegalArgumentException unknownAddOn) {
            reject(request, RejectionReason.UNKNOWN_ADD_ON, unknownAddOn.getMessage());
            return;
        }
        if (!capacity.take(resource.id(), request.getSlotStart(), request.getQuantity())) {
            reject(request, RejectionReason.SOLD_OUT, "Not enough capacity left for " + resource.name() + " in that slot");
            return;
        }
        Instant expiresAt = clock.instant().plusSeconds(resource.holdDurationSeconds());
        holds.insert(bookingId, resource.id(), request.getSlotStart(), request.getSlotEnd(), request.getQuantity(),
                quote.totalMinor(), quote.currency(), expiresAt);
        outbox.append(bookingId.toString(), new InventoryReserved(metadata.next(), bookingId, resource.id(),
                request.getSlotStart(), request.getSlotEnd(), request.getQuantity(), quote.lineItems(), quote.totalMinor(),
                quote.currency(), expiresAt));
    }

    /**
     * Turns the hold into a reservation. A hold that expired in the instant before the payment arrived is
     * taken again if the slot still has room; if not, the booking is confirmed without capacity, which only
     * ops can resolve, so the event goes to the dead-letter topic.
     */
    public void confirm(UUID bookingId) {
        if (holds.confirm(bookingId)) {
            return;
        }
        Hold hold = holds.find(bookingId).orElseThrow(() ->
                new NonRetryableEventException("Booking " + bookingId + " confirmed but inventory holds nothing for it"));
        if (hold.status() == Hold.Status.RELEASED) {
            if (!capacity.take(hold.resourceId(), hold.slotStart(), hold.quantity())) {
                throw new NonRetryableEventException("Booking " + bookingId + " confirmed after its hold expired and "
                        + hold.resourceId() + " has no capacity left in that slot");
            }
            holds.reconfirm(bookingId);
            log.warn("Booking {} confirmed after its hold was released; capacity taken again", bookingId);
        }
    }

    /** Gives the capacity back; true if there was a hold to release. */
    public boolean release(UUID bookingId, String reason) {
        return holds.release(bookingId, reason)
                .map(hold -> {
                    capacity.giveBack(hold.resourceId(), hold.slotStart(), hold.quantity());
                    return true;
                })
                .orElse(false);
    }

    /**
     * Releases holds past their expiry, at most {@code limit}, and tells the saga about each. Needs the
     * caller's transaction: the holds stay locked until it commits.
     */
    public int expireDue(Instant now, int limit) {
        List<UUID> due = holds.lockExpired(now, limit);
        for (UUID bookingId : due) {
            try (CorrelationScope scope = CorrelationScope.request(null)) {
                holds.release(bookingId, "hold expired").ifPresent(hold -> {
                    capacity.giveBack(hold.resourceId(), hold.slotStart(), hold.quantity());
                    outbox.append(bookingId.toString(),
                            new InventoryHoldExpired(metadata.next(), bookingId, hold.resourceId(), now));
                });
            }
        }
        return due.size();
    }

    private void reject(BookingRequested request, RejectionReason reason, String message) {
        outbox.append(request.getBookingId().toString(), new InventoryRejected(metadata.next(), request.getBookingId(),
                request.getResourceId(), reason, message));
    }
}
