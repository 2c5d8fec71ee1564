package dev.bookingplatform.web;

import java.io.IOException;

/** A request body longer than {@code bookingplatform.web.max-request-bytes}; answered with 413. */
final class RequestTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    RequestTooLargeException(long limit) {
        super("Request body exceeds the limit of " + limit + " bytes");
    }
}
