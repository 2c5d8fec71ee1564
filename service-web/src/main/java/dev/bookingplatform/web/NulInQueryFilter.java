package dev.bookingplatform.web;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a query parameter carrying the NUL character ({@code %00}) with a 400 naming it: PostgreSQL refuses NUL in
 * any text, so such a value failed with a 500 wherever it reached a query. Bodies are checked where they are read
 * ({@link StorableTextDeserializer}); Tomcat refuses {@code %00} in a path itself.
 */
final class NulInQueryFilter extends OncePerRequestFilter {

    private static final String NUL = "%00";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query == null || !query.toLowerCase(Locale.ROOT).contains(NUL)) {
            chain.doFilter(request, response);
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String pair : query.split("&")) {
            if (pair.toLowerCase(Locale.ROOT).contains(NUL)) {
                // Only the characters a parameter name of ours has: what is echoed back cannot break the JSON.
                String name = pair.split("=", 2)[0].replaceAll("[^A-Za-z0-9_.\\-]", "");
                names.add(name.isEmpty() ? "parameter" : name);
            }
        }
        String message = "must not contain the NUL character (%00)";
        StringBuilder errors = new StringBuilder();
        StringBuilder detail = new StringBuilder();
        for (String name : names) {
            errors.append(errors.isEmpty() ? "" : ",").append("{\"field\":\"").append(name).append("\",\"message\":\"")
                    .append(message).append("\"}");
            detail.append(detail.isEmpty() ? "" : "; ").append(name).append(": ").append(message);
        }
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Invalid request\",\"status\":400,\"detail\":\""
                + detail + "\",\"instance\":\"" + request.getRequestURI().replace("\"", "").replace("\\", "")
                + "\",\"errors\":[" + errors + "]}");
    }
}
