package dev.bookingplatform.web;

/** One invalid input in a problem detail's {@code errors} member: which field, and what is wrong with it. */
public record FieldError(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
