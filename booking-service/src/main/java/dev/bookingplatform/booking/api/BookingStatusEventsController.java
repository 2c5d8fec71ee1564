package dev.bookingplatform.booking.api;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.bookingplatform.booking.persistence.BookingRepository;
import dev.bookingplatform.web.ApiProblemException;
import dev.bookingplatform.web.FieldError;
import dev.bookingplatform.web.openapi.ApiDocumentation;
import dev.bookingplatform.web.security.Caller;

/** A booking's status pushed as Server-Sent Events, so a gateway need not poll {@code GET /api/bookings/{id}}. */
@Tag(name = "Bookings")
@RestController
class BookingStatusEventsController {

    static final String LAST_EVENT_ID = "Last-Event-ID";

    private final BookingStatusStream stream;

    private final BookingAccess access;

    private final BookingRepository bookings;

    BookingStatusEventsController(BookingStatusStream stream, BookingAccess access, BookingRepository bookings) {
        this.stream = stream;
        this.access = access;
        this.bookings = bookings;
    }

    @Operation(operationId = "streamBookingStatus", summary = "Stream a booking's status changes (Server-Sent Events)", description = """
            Each change is an event named `status`, its `data` a BookingStatusChange and its `id` the change's position \
            in the booking's history. The stream starts with every change after `Last-Event-ID` (all of them without \
            one) and ends after an event whose status is final (REJECTED, EXPIRED, CANCELLED), or after 10 minutes; \
            reconnect with `Last-Event-ID` to get only what you missed. A reconnect after the final event is a 204, \
            which tells a browser's EventSource to stop. A comment line every 15 s keeps proxies from \
            closing a quiet stream. Changes are read from the database, so any replica serves any booking.""")
    @ApiResponse(responseCode = "200", description = "The stream of status changes",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                    schema = @Schema(implementation = BookingStatusStream.StatusChange.class)))
    @ApiResponse(responseCode = "204", description = "The booking reached a final state and nothing happened after"
            + " Last-Event-ID: there is nothing more to stream (an EventSource stops reconnecting)", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such booking, or not the caller's: the same answer for both",
            content = @Content)
    @ApiResponse(responseCode = "503", description = "This replica is stopping, or serves as many streams as it may;"
            + " reconnect (to another replica) after `Retry-After`", content = @Content)
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:read")
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "bookings:admin")
    @GetMapping(path = "/api/bookings/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<SseEmitter> events(@Parameter(description = "The booking's id, from the Location of its creation") @PathVariable UUID id,
            @Parameter(description = "The id of the last event received; the stream resumes after it")
            @RequestHeader(name = LAST_EVENT_ID, required = false) @Nullable String lastEventId) {
        Caller caller = Caller.current();
        access.check(caller, id);
        long position = position(lastEventId);
        boolean ended = bookings.find(id).orElseThrow(() -> ApiProblemException.notFound("Booking", id)).status().isFinal();
        if (ended && !stream.hasChangesAfter(id, position)) {
            // The HTML standard's way to tell an EventSource not to reconnect: the booking can change no more.
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(stream.subscribe(caller.subject(), id, position, ended));
    }

    private static long position(@Nullable String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            long position = Long.parseLong(lastEventId.strip());
            if (position >= 0) {
                return position;
            }
        }
        catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ApiProblemException.invalid(HttpStatus.BAD_REQUEST,
                java.util.List.of(new FieldError(LAST_EVENT_ID, "must be the id of an event this stream sent")));
    }
}
