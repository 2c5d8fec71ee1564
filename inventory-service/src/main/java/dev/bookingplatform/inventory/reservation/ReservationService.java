package dev.bookingplatform.inventory.reservation;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.bookingplatform.eventing.correlation.CorrelationScope;
import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.events.booking.BookingPaid;
import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.events.inventory.HoldConfirmed;
import dev.bookingplatform.events.inventory.HoldLost;
import dev.bookingplatform.events.inventory.InventoryHoldExpired;
import dev.bookingplatform.events.inventory.InventoryRejected;
import dev.bookingplatform.events.inventory.InventoryReserved;
import dev.bookingplatform.events.inventory.RejectionReason;
import dev.bookingplatform.events.units.BookingRules.Coverage;
import dev.bookingplatform.inventory.resource.Resource;
import dev.bookingplatform.inventory.resource.ResourceRepository;
import dev.bookingplatform.inventory.stock.Shortage;
import dev.bookingplatform.inventory.stock.UnitStock;

/**
 * Step 2 of the saga and its compensations: hold every unit a requested booking covers, all or nothing,
 * at today's prices; on payment keep the units (or take them again) or say they are lost; give them back on cancellation,
 * rejection or expiry. Every method runs inside the caller's transaction (a consumed event's, or the
 * expiry job's). Lock order, everywhere: the resource row (shared), then units in ascending order.
 */
@Service
public class ReservationService {

    private static final Logger log = LoggerFactory.getLogger(ReservationService.class);

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final ResourceRepository resources;

    private final HoldRepository holds;

    private final UnitStock stock;

    private final OutboxWriter outbox;

    private final EventMetadataFactory metadata;

    private final Clock clock;

    ReservationService(ResourceRepository resources, HoldRepository holds, UnitStock stock, OutboxWriter outbox,
            EventMetadataFactory metadata, Clock clock) {
        this.resources = resources;
        this.holds = holds;
        this.stock = stock;
        this.outbox = outbox;
        this.metadata = metadata;
        this.clock = clock;
    }

    public void reserve(BookingRequested request) {
        UUID bookingId = request.getBookingId();
        if (holds.find(bookingId).isPresent()) {
            log.info("Booking {} already has a hold; request ignored", bookingId);
            return;
        }
        Resource resource = resources.findForBooking(request.getResourceId()).orElse(null);
        if (resource == null) {
            reject(request, RejectionReason.UNKNOWN_RESOURCE, "The resource " + request.getResourceId() + " does not exist");
            return;
        }
        Coverage coverage = resource.rules().cover(request.getSlotStart(), request.getSlotEnd());
        if (!coverage.accepted()) {
            reject(request, RejectionReason.INVALID_REQUEST, "The range does not fit " + resource.id() + ": " + coverage.violations()
                    .stream().map(violation -> violation.field() + " " + violation.message()).collect(Collectors.joining("; ")));
            return;
        }
        PriceQuote quote;
        try {
            quote = PriceQuote.of(resource, coverage.units().size(), request.getQuantity(), request.getAddOns());
        }
        catch (IllegalArgumentException unknownAddOn) {
            reject(request, RejectionReason.UNKNOWN_ADD_ON, unknownAddOn.getMessage());
            return;
        }
        catch (ArithmeticException overflow) {
            reject(request, RejectionReason.INVALID_REQUEST, "The price of this booking of " + resource.id() + " is too large to charge");
            return;
        }
        Optional<Shortage> shortage = stock.take(resource.id(), bookingId, coverage.units(), request.getQuantity());
        if (shortage.isPresent()) {
            reject(request, RejectionReason.SOLD_OUT, soldOut(resource, shortage.get(), request.getQuantity()));
            return;
        }
        Instant expiresAt = clock.instant().plusSeconds(resource.holdDurationSeconds());
        holds.insert(bookingId, resource.id(), request.getSlotStart(), request.getSlotEnd(), request.getQuantity(),
                quote.totalMinor(), quote.currency(), expiresAt);
        outbox.append(bookingId.toString(), new InventoryReserved(metadata.next(), bookingId, resource.id(),
                request.getSlotStart(), request.getSlotEnd(), request.getQuantity(), quote.lineItems(), quote.totalMinor(),
                quote.currency(), expiresAt));
        log.info("Booking {} holds {} of {} over {} time units until {}", bookingId, request.getQuantity(), resource.id(),
                coverage.units().size(), expiresAt);
    }

    /**
     * The booking was paid: inventory alone decides whether it keeps its units. A hold still held becomes a
     * reservation, even past its expiry if the expiry job has not released it yet (the units never left).
     * A released hold is taken again if every unit still has room; otherwise the units are lost and the saga
     * refunds. The hold's row lock orders this against the expiry job, which releases under the same lock.
     */
    public void confirmPaid(BookingPaid paid) {
        UUID bookingId = paid.getBookingId();
        Optional<Hold> held = holds.find(bookingId);
        if (held.isEmpty()) {
            lost(bookingId, "?", "inventory holds nothing for this booking");
            return;
        }
        if (holds.confirm(bookingId)) {
            confirmed(bookingId, held.get().resourceId(), false);
            return;
        }
        Hold hold = holds.find(bookingId).orElseThrow();
        if (hold.status() == Hold.Status.CONFIRMED) {
            log.info("Booking {} was already confirmed; payment {} answered again", bookingId, paid.getPaymentIntentId());
            confirmed(bookingId, hold.resourceId(), false);
            return;
        }
        Resource resource = resources.findForBooking(hold.resourceId()).orElse(null);
        if (resource == null) {
            lost(bookingId, hold.resourceId(), "the resource " + hold.resourceId() + " no longer exists");
            return;
        }
        Coverage coverage = resource.rules().cover(hold.slotStart(), hold.slotEnd());
        if (!coverage.accepted()) {
            lost(bookingId, resource.id(), "the booking no longer fits the rules of " + resource.name());
            return;
        }
        Optional<Shortage> shortage = stock.take(resource.id(), bookingId, coverage.units(), hold.quantity());
        if (shortage.isPresent()) {
            lost(bookingId, resource.id(), "the hold ran out before the payment arrived and "
                    + soldOut(resource, shortage.get(), hold.quantity()));
            return;
        }
        holds.reconfirm(bookingId);
        log.warn("Booking {} was paid after its hold was released; its units were free and are taken again", bookingId);
        confirmed(bookingId, resource.id(), true);
    }

    private void confirmed(UUID bookingId, String resourceId, boolean retaken) {
        log.info("Booking {} keeps its units of {}", bookingId, resourceId);
        outbox.append(bookingId.toString(), new HoldConfirmed(metadata.next(), bookingId, resourceId, retaken));
    }

    private void lost(UUID bookingId, String resourceId, String reason) {
        log.warn("Booking {} was paid but keeps no units: {}", bookingId, reason);
        outbox.append(bookingId.toString(), new HoldLost(metadata.next(), bookingId, resourceId, reason));
    }

    /** Gives every unit back; true if there was a hold to release. */
    public boolean release(UUID bookingId, String reason) {
        if (holds.release(bookingId, reason).isEmpty()) {
            return false;
        }
        stock.giveBack(bookingId);
        log.info("Booking {} gave its units back: {}", bookingId, reason);
        return true;
    }

    /**
     * Releases holds past their expiry, at most {@code limit}, and tells the saga about each. Needs the
     * caller's transaction: the holds and their units stay locked until it commits.
     */
    public int expireDue(Instant now, int limit) {
        return expireDue(now, now, limit);
    }

    /** The same for holds that expired by {@code dueBefore} (the expiry job's grace before it), released at {@code now}. */
    public int expireDue(Instant dueBefore, Instant now, int limit) {
        List<UUID> due = holds.lockExpired(dueBefore, limit);
        stock.lockUnitsOf(due);
        for (UUID bookingId : due) {
            try (CorrelationScope scope = CorrelationScope.request(null)) {
                holds.release(bookingId, "hold expired").ifPresent(hold -> {
                    stock.giveBack(bookingId);
                    outbox.append(bookingId.toString(),
                            new InventoryHoldExpired(metadata.next(), bookingId, hold.resourceId(), now));
                });
            }
        }
        return due.size();
    }

    private static String soldOut(Resource resource, Shortage shortage, int quantity) {
        ZoneId zone = resource.rules().zone();
        return "%s has %d of %d left for the %s from %s (%s %s), %d asked".formatted(resource.name(), shortage.available(),
                resource.capacityPerUnit(), resource.rules().unit().name(), shortage.unit().start(),
                LOCAL.format(shortage.unit().start().atZone(zone)), zone.getId(), quantity);
    }

    private void reject(BookingRequested request, RejectionReason reason, String message) {
        log.info("Booking {} rejected ({}): {}", request.getBookingId(), reason, message);
        outbox.append(request.getBookingId().toString(), new InventoryRejected(metadata.next(), request.getBookingId(),
                request.getResourceId(), reason, message));
    }
}
