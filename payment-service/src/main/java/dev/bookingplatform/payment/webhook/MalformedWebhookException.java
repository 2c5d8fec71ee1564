package dev.bookingplatform.payment.webhook;

/** A correctly signed webhook whose content cannot be used (not JSON, missing booking, unknown session). */
public final class MalformedWebhookException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MalformedWebhookException(String message) {
        super(message);
    }

    MalformedWebhookException(String message, Throwable cause) {
        super(message, cause);
    }
}
