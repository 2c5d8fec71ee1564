package dev.bookingplatform.inventory.resource;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.inventory.InventoryProperties;
import dev.bookingplatform.web.ApiProblemException;
import dev.bookingplatform.web.openapi.ApiDocumentation;
import dev.bookingplatform.web.security.AuditTrail;
import dev.bookingplatform.web.security.Caller;
import dev.bookingplatform.web.FieldError;

/**
 * Resources for the operator. Updates are optimistic: the caller sends the version it read
 * ({@code If-Match}), and a concurrent edit makes the second writer's PUT a 412 instead of silently
 * overwriting the first. An edit that would strand a booking is a 409 ({@link ResourceEdits}).
 */
@Tag(name = "Resources")
@RestController
@RequestMapping(path = "/api/resources", produces = MediaType.APPLICATION_JSON_VALUE)
@Validated
class ResourceController {

    static final String ID = "[a-z0-9][a-z0-9-]{0,63}";

    private final ResourceRepository resources;

    private final ResourceAnnouncer announcer;

    private final ResourceEdits edits;

    private final InventoryProperties properties;

    private final AuditTrail audit;

    ResourceController(ResourceRepository resources, ResourceAnnouncer announcer, ResourceEdits edits,
            InventoryProperties properties, AuditTrail audit) {
        this.audit = audit;
        this.resources = resources;
        this.announcer = announcer;
        this.edits = edits;
        this.properties = properties;
    }

    /** Any valid token reads the catalogue (the gateway shows it before a customer signs in). */
    @Operation(operationId = "listResources", summary = "List every resource of the catalogue", description = """
            Every bookable resource with its capacity, prices, add-ons, booking rules, cancellation terms and \
            version. Any valid token reads the catalogue (the gateway shows it before a customer signs in).""")
    @ApiResponse(responseCode = "200", description = "The whole catalogue; empty when it holds no resource",
            content = @Content(mediaType = "application/json",
                    array = @ArraySchema(schema = @Schema(implementation = Resource.class))))
    @SecurityRequirement(name = ApiDocumentation.BEARER)
    @GetMapping
    List<Resource> list() {
        return resources.ids().stream().map(id -> resources.find(id).orElseThrow()).toList();
    }

    @Operation(operationId = "getResource", summary = "Get one resource and its version", description = """
            The resource as stored, with its `version`, which the `ETag` header carries too: send it back as \
            `If-Match` to replace the resource (PUT), or as `If-None-Match` to be told it has not changed (304).""")
    @ApiResponse(responseCode = "200", description = "The resource",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Resource.class)),
            headers = @Header(name = "ETag", description = "The resource's version, quoted (\"3\"): the If-Match of an edit",
                    schema = @Schema(type = "string")))
    // content = @Content: no body here (springdoc would give these the method's type); errors get the problem body.
    @ApiResponse(responseCode = "304", description = "Not modified: If-None-Match names the current version; no body",
            content = @Content, headers = @Header(name = "ETag", description = "The resource's version, quoted (\"3\")",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No resource has this id", content = @Content)
    @Parameter(name = "If-None-Match", in = ParameterIn.HEADER, required = false, schema = @Schema(type = "string"),
            description = "The ETag of the copy you hold: when it names the current version, the answer is a 304 without a body")
    @SecurityRequirement(name = ApiDocumentation.BEARER)
    @GetMapping("/{id}")
    ResponseEntity<Resource> get(@Parameter(description = "The resource's id: up to 64 lower-case letters, digits and dashes")
            @PathVariable @Pattern(regexp = ID) String id) {
        Resource resource = resources.find(id).orElseThrow(() -> ApiProblemException.notFound("Resource", id));
        return ResponseEntity.ok().eTag(Long.toString(resource.version())).body(resource);
    }

    @Operation(operationId = "putResource", summary = "Create a resource, or replace it at the version you read",
            description = """
                    Without `If-Match`, creates the resource at version 0; what the body leaves out is the default \
                    (booking rules: an hour aligned on the hour, in UTC, 1 to 24 units per booking; cancellation: free \
                    until 24 h before, nothing after; the service's hold duration). With `If-Match` (the version read, \
                    from the ETag), replaces the resource if it is still at that version; the hold duration, booking \
                    rules and cancellation terms the body leaves out stay as they are. An edit may not strand a booking: \
                    no new unit or time zone while bookings hold units not yet over, and no capacity below what such a \
                    unit holds. Every change is audited and announced (ResourceChanged) to booking-service.""")
    @ApiResponse(responseCode = "200", description = "Replaced: the resource as stored now, at its new version",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Resource.class)),
            headers = @Header(name = "ETag", description = "The new version, quoted (\"4\"): the If-Match of the next edit",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "201", description = "Created: the resource as stored, at version 0",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Resource.class)),
            headers = @Header(name = "ETag", description = "\"0\", the new resource's version: the If-Match of its first edit",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409", description = "The edit would strand bookings: it changes the unit or time zone while"
            + " bookings hold units not yet over, or sets the capacity below what such a unit holds; `unitStart`, `held`"
            + " and `currentVersion` say which", content = @Content)
    @ApiResponse(responseCode = "412", description = "Version mismatch: If-Match is not the current version (`currentVersion`"
            + " says which is) or not a version this service issued, or If-Match was sent for a resource that does not"
            + " exist; also when a resource created without If-Match was created concurrently. Read it again and re-apply",
            content = @Content)
    @ApiResponse(responseCode = "422", description = "The resource's rules do not hold together: a unit that does not divide a"
            + " day or an alignment not below it, unit times not in whole minutes, a night whose check-out is after its"
            + " check-in, a time zone that is not an IANA zone id, or maxUnits below minUnits; `errors` names each",
            content = @Content)
    @ApiResponse(responseCode = "428", description = "The resource exists and If-Match is missing: send the version you read"
            + " (`currentVersion` says which is current) so no edit is lost", content = @Content)
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "catalog:write")
    @PutMapping("/{id}")
    @Transactional
    ResponseEntity<Resource> put(@Parameter(description = "The resource's id: up to 64 lower-case letters, digits and dashes")
            @PathVariable @Pattern(regexp = ID, message = "must be lower-case letters, digits and dashes") String id,
            @Parameter(description = "The version you read, from the resource's ETag (\"3\"): required to replace an existing"
                    + " resource, absent to create one")
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @RequestBody @Valid ResourceRequest request) {
        rejectInvalid(request.problems());
        Resource current = resources.findForUpdate(id).orElse(null);
        int defaultHold = (int) properties.holdDuration().toSeconds();
        if (current == null) {
            if (ifMatch != null) {
                throw new ApiProblemException(HttpStatus.PRECONDITION_FAILED, "Version mismatch",
                        "Resource " + id + " does not exist, so no version can match");
            }
            Resource created = request.toResource(id, defaultHold);
            rejectInvalid(ResourceRequest.unitBoundsProblems(created));
            if (!resources.insert(created)) {
                throw new ApiProblemException(HttpStatus.PRECONDITION_FAILED, "Version mismatch",
                        "Resource " + id + " was created concurrently; read it and send If-Match");
            }
            Resource stored = resources.find(id).orElseThrow();
            audit.record(Caller.current(), "resource.create", id, describe(stored));
            announcer.announce(stored);
            return ResponseEntity.status(HttpStatus.CREATED).eTag("0").body(stored);
        }
        if (ifMatch == null) {
            throw new ApiProblemException(HttpStatus.PRECONDITION_REQUIRED, "If-Match required",
                    "Resource " + id + " exists; send If-Match with the version you read so no edit is lost")
                    .with("currentVersion", current.version());
        }
        long expected = parseVersion(ifMatch);
        if (expected != current.version()) {
            throw new ApiProblemException(HttpStatus.PRECONDITION_FAILED, "Version mismatch",
                    "Resource " + id + " was changed since version " + ifMatch + "; read it again and re-apply your edit")
                    .with("currentVersion", current.version());
        }
        Resource edited = request.toEditOf(current);
        rejectInvalid(ResourceRequest.unitBoundsProblems(edited));
        edits.check(current, edited);
        resources.update(edited, expected);
        edits.afterUpdate(current, edited);
        Resource updated = resources.find(id).orElseThrow();
        audit.record(Caller.current(), "resource.update", id, "from version " + current.version() + ": " + describe(updated));
        announcer.announce(updated);
        return ResponseEntity.ok().eTag(Long.toString(updated.version())).body(updated);
    }

    private static String describe(Resource resource) {
        return "version " + resource.version() + ", " + resource.unitPriceMinor() + " " + resource.currency() + " a unit, capacity "
                + resource.capacityPerUnit();
    }

    private static void rejectInvalid(List<FieldError> problems) {
        if (!problems.isEmpty()) {
            throw ApiProblemException.invalid(HttpStatus.UNPROCESSABLE_CONTENT, problems);
        }
    }

    private static long parseVersion(String ifMatch) {
        String digits = ifMatch.replace("W/", "").replace("\"", "").trim();
        try {
            return Long.parseLong(digits);
        }
        catch (NumberFormatException e) {
            throw new ApiProblemException(HttpStatus.PRECONDITION_FAILED, "Version mismatch",
                    "If-Match must carry a version this service issued, such as \"3\"");
        }
    }
}
