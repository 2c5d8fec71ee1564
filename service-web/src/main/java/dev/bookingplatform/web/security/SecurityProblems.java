package dev.bookingplatform.web.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401, 403 and 429 as RFC 9457 problem details with the RFC 6750 {@code WWW-Authenticate} challenge. The text
 * is ours and fixed: why a token failed (which check, which library said what) is not the caller's business.
 */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final RateLimiters limiters;

    SecurityProblems(RateLimiters limiters) {
        this.limiters = limiters;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        long waitNanos = limiters.authenticationFailed(request);
        if (waitNanos > 0) {
            tooManyRequests(response, RateLimiters.retryAfterSeconds(waitNanos),
                    "Too many requests from this address failed to authenticate; retry after Retry-After seconds");
            return;
        }
        boolean presented = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, presented
                ? "Bearer error=\"invalid_token\", error_description=\"The access token is malformed, expired or not trusted\""
                : "Bearer");
        write(response, HttpStatus.UNAUTHORIZED, "Unauthorized", presented
                ? "The bearer token is malformed, expired, or not signed by a trusted issuer for this API"
                : "This endpoint needs a bearer token (Authorization: Bearer <token>)");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\","
                + " error_description=\"The access token lacks the scope this request needs\"");
        write(response, HttpStatus.FORBIDDEN, "Forbidden", "The bearer token does not carry the scope this request needs");
    }

    static void tooManyRequests(HttpServletResponse response, long retryAfterSeconds, String detail) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        write(response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests", detail);
    }

    static void write(HttpServletResponse response, HttpStatus status, String title, String detail) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        // Both strings are constants of ours: no escaping beyond quotes is ever needed.
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status.value()
                + ",\"detail\":\"" + detail.replace("\"", "'") + "\"}");
    }
}
