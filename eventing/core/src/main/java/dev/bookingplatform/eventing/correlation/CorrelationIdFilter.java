package dev.bookingplatform.eventing.correlation;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Takes the gateway's {@code X-Correlation-Id} (or makes one) into the {@link CorrelationScope} of the
 * request, so its log lines and every event it appends carry it, and echoes it in the response.
 */
public final class CorrelationIdFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Correlation-Id";

    private static final int MAX_LENGTH = 128;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String incoming = request.getHeader(HEADER);
        // An overlong or multi-line id is the client's mistake, not a reason to pollute every log line.
        String usable = incoming != null && incoming.length() <= MAX_LENGTH && incoming.matches("[\\w.:-]+") ? incoming : null;
        try (CorrelationScope scope = CorrelationScope.request(usable)) {
            response.setHeader(HEADER, CorrelationScope.currentCorrelationId());
            chain.doFilter(request, response);
        }
    }
}
