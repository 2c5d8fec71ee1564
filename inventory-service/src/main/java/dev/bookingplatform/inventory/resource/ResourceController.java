package dev.bookingplatform.inventory.resource;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
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
@RestController
@RequestMapping("/api/resources")
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
    @SecurityRequirement(name = ApiDocumentation.BEARER)
    @GetMapping
    List<Resource> list() {
        return resources.ids().stream().map(id -> resources.find(id).orElseThrow()).toList();
    }

    @SecurityRequirement(name = ApiDocumentation.BEARER)
    @GetMapping("/{id}")
    ResponseEntity<Resource> get(@PathVariable @Pattern(regexp = ID) String id) {
        Resource resource = resources.find(id).orElseThrow(() -> ApiProblemException.notFound("Resource", id));
        return ResponseEntity.ok().eTag(Long.toString(resource.version())).body(resource);
    }

    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = "catalog:write")
    @PutMapping("/{id}")
    @Transactional
    ResponseEntity<Resource> put(@PathVariable @Pattern(regexp = ID, message = "must be lower-case letters, digits and dashes") String id,
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
