package dev.bookingplatform.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A domain failure with an HTTP meaning (unknown booking, stale version, reused idempotency key). Thrown
 * from a controller or a service, it becomes one RFC 9457 problem detail; its message names the thing
 * (booking id, resource id), never personal data.
 */
public class ApiProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HttpStatus status;

    private final String title;

    private final Map<String, Object> properties = new LinkedHashMap<>();

    private @org.jspecify.annotations.Nullable Long retryAfterSeconds;

    public ApiProblemException(HttpStatus status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public static ApiProblemException notFound(String what, Object id) {
        return new ApiProblemException(HttpStatus.NOT_FOUND, what + " not found", "No " + what.toLowerCase() + " " + id);
    }

    /** Invalid input, naming each field in the {@code errors} member, as the framework's own validation does. */
    public static ApiProblemException invalid(HttpStatus status, java.util.List<FieldError> errors) {
        return new ApiProblemException(status, "Invalid request",
                String.join("; ", errors.stream().map(FieldError::toString).sorted().toList())).with("errors", errors);
    }

    /** Adds a member to the problem detail, e.g. the current version after a 412. */
    public ApiProblemException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    /** Answers with {@code Retry-After}: a refusal that passes (a limit, a replica stopping). */
    public ApiProblemException retryAfter(java.time.Duration wait) {
        this.retryAfterSeconds = Math.max(1, wait.toSeconds());
        return this;
    }

    @org.jspecify.annotations.Nullable
    Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public HttpStatus status() {
        return status;
    }

    ProblemDetail toProblemDetail() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setTitle(title);
        properties.forEach(problem::setProperty);
        return problem;
    }
}
