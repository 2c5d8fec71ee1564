package dev.bookingplatform.web;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolationException;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamReadException;

/**
 * Every error a service answers is an RFC 9457 problem detail: Spring MVC's own (415, 405, missing
 * header...) through the base class, invalid input with an {@code errors} member naming each field,
 * domain failures from {@link ApiProblemException}, and anything unexpected as a 500 that carries the
 * correlation id and never a stack trace.
 */
@RestControllerAdvice
final class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /** How Jackson names a member given twice (strict duplicate detection, {@code ServiceWebAutoConfiguration}). */
    private static final Pattern DUPLICATE_MEMBER = Pattern.compile("^Duplicate Object property \"(.*)\"");

    @ExceptionHandler(ApiProblemException.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblemException problem) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(problem.status());
        if (problem.retryAfterSeconds() != null) {
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(problem.retryAfterSeconds()));
        }
        return answer.body(problem.toProblemDetail());
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException exception) {
        List<FieldError> errors = exception.getConstraintViolations().stream()
                .map(violation -> new FieldError(lastNode(violation.getPropertyPath().toString()), violation.getMessage()))
                .toList();
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    /**
     * Tomcat parses the parameters on first use and throws on what it cannot read: an escape it cannot decode
     * ({@code %zz}, a 400), too many parameters (400), a form body over its limit (413). The caller's error, with
     * Tomcat's status.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> unreadableParameters(InvalidParameterException exception) {
        HttpStatus tomcats = HttpStatus.resolve(exception.getErrorCode());
        HttpStatus status = tomcats != null && tomcats.is4xxClientError() ? tomcats : HttpStatus.BAD_REQUEST;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, "The query string or form body could not be read:"
                + " each % must start an escape of two hexadecimal digits (%20) spelling UTF-8, within the server's limits"
                + " on parameters and size");
        problem.setTitle("Malformed parameters");
        return ResponseEntity.status(status).body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception exception) {
        log.error("Unexpected failure answered with 500", exception);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The request failed on our side; quote correlation id " + MDC.get("correlationId") + " to support");
        return ResponseEntity.internalServerError().body(problem);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = exception.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldError(error.getField(), String.valueOf(error.getDefaultMessage())))
                .toList();
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException exception, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = exception.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error -> new FieldError(
                        result.getMethodParameter().getParameterName() == null ? "parameter"
                                : result.getMethodParameter().getParameterName(),
                        String.valueOf(error.getDefaultMessage()))))
                .toList();
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException exception, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String field = exception.getPropertyName() == null ? "parameter" : exception.getPropertyName();
        return ResponseEntity.badRequest().body(invalid(List.of(new FieldError(field,
                "must be a valid " + (exception.getRequiredType() == null ? "value"
                        : exception.getRequiredType().getSimpleName())))));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (causedBy(exception, RequestTooLargeException.class) instanceof RequestTooLargeException tooLarge) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage()));
        }
        String duplicate = duplicateMember(exception);
        if (duplicate != null) {
            return ResponseEntity.badRequest().body(invalid(List.of(new FieldError(duplicate, "appears more than once"))));
        }
        if (causedBy(exception, JacksonException.class) instanceof JacksonException json && !json.getPath().isEmpty()) {
            String field = json.getPath().stream()
                    .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName()
                            : "[" + reference.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String message = json instanceof StorableTextDeserializer.UnstorableTextException unstorable ? unstorable.reason()
                    : "has the wrong type or format";
            return ResponseEntity.badRequest().body(invalid(List.of(new FieldError(field, message))));
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is missing or is not well-formed JSON");
        problem.setTitle("Malformed request body");
        return ResponseEntity.badRequest().body(problem);
    }

    /** The duplicated member's path in the body ({@code addOns[0].quantity}), or null when the body had none. */
    private static @Nullable String duplicateMember(HttpMessageNotReadableException exception) {
        if (!(causedBy(exception, StreamReadException.class) instanceof StreamReadException read)) {
            return null;
        }
        Matcher duplicate = DUPLICATE_MEMBER.matcher(String.valueOf(read.getOriginalMessage()));
        if (!duplicate.find()) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        JsonParser parser = read.processor();
        // The object holding the member twice is the parser's context; its parent's path leads to it.
        TokenStreamContext holder = parser == null ? null : parser.streamReadContext();
        if (holder != null && holder.getParent() != null) {
            for (JsonPointer step = holder.getParent().pathAsPointer(); !step.matches(); step = step.tail()) {
                if (step.getMatchingIndex() >= 0) {
                    path.append('[').append(step.getMatchingIndex()).append(']');
                }
                else {
                    path.append(path.isEmpty() ? "" : ".").append(step.getMatchingProperty());
                }
            }
        }
        return path.append(path.isEmpty() ? "" : ".").append(duplicate.group(1)).toString();
    }

    private static ProblemDetail invalid(List<FieldError> errors) {
        return ApiProblemException.invalid(HttpStatus.BAD_REQUEST, errors).toProblemDetail();
    }

    private static String lastNode(String propertyPath) {
        return propertyPath.substring(propertyPath.lastIndexOf('.') + 1);
    }

    private static @Nullable Throwable causedBy(Throwable exception, Class<? extends Throwable> type) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return cause;
            }
        }
        return null;
    }
}
