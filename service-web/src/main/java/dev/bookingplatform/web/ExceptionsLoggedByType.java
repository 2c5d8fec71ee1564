package dev.bookingplatform.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.servlet.mvc.method.annotation.ExceptionHandlerExceptionResolver;

/**
 * Spring logs every exception it resolves at DEBUG by its {@code toString}, and a failed binding's quotes each
 * rejected value: the e-mail address or name a customer mistyped. Logged by type only; the problem detail the
 * caller gets names each field already.
 */
final class ExceptionsLoggedByType extends ExceptionHandlerExceptionResolver {

    @Override
    protected String buildLogMessage(Exception ex, HttpServletRequest request) {
        return "Resolved [" + ex.getClass().getName() + "]";
    }
}
