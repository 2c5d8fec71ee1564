package dev.bookingplatform.web.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * 429 with {@code Retry-After} when a caller is over its limit. Two places in the chain: before authentication
 * the webhook's limit applies per sending address (it has no token); after it, a verified token's subject is
 * counted. An address is
 * counted only when it fails to authenticate ({@link SecurityProblems}): a gateway forwarding many customers'
 * good tokens from one address is never limited by that address.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    static final String WEBHOOK_PATHS = "/webhooks/";

    private final RateLimiters limiters;

    private final boolean beforeAuthentication;

    private RateLimitFilter(RateLimiters limiters, boolean beforeAuthentication) {
        this.limiters = limiters;
        this.beforeAuthentication = beforeAuthentication;
    }

    static RateLimitFilter beforeAuthentication(RateLimiters limiters) {
        return new RateLimitFilter(limiters, true);
    }

    static RateLimitFilter afterAuthentication(RateLimiters limiters) {
        return new RateLimitFilter(limiters, false);
    }

    /** Two instances in one chain: each needs its own "already filtered" mark, or the second never runs. */
    @Override
    protected String getAlreadyFilteredAttributeName() {
        return RateLimitFilter.class.getName() + (beforeAuthentication ? ".before" : ".after") + ".FILTERED";
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long waitNanos = beforeAuthentication ? beforeAuthentication(request) : afterAuthentication();
        if (waitNanos > 0) {
            SecurityProblems.tooManyRequests(response, RateLimiters.retryAfterSeconds(waitNanos),
                    "Rate limit reached; retry after the number of seconds in Retry-After");
            return;
        }
        chain.doFilter(request, response);
    }

    private long beforeAuthentication(HttpServletRequest request) {
        if (request.getRequestURI().startsWith(request.getContextPath() + WEBHOOK_PATHS)) {
            return limiters.tryWebhook(request);
        }
        return 0;
    }

    private long afterAuthentication() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken token) {
            return limiters.trySubject(token.getToken().getSubject());
        }
        return 0;
    }
}
