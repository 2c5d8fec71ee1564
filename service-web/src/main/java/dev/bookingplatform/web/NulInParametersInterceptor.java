package dev.bookingplatform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a request parameter (query string or form body) carrying the NUL character with a 400 naming it: PostgreSQL
 * refuses NUL in any text, so such a value failed with a 500 wherever it reached a query. JSON bodies are checked where
 * they are read ({@link StorableTextDeserializer}); Tomcat refuses {@code %00} in a path itself. Here, after the
 * security filters, so an anonymous caller still gets its 401 first.
 */
final class NulInParametersInterceptor implements HandlerInterceptor {

    static final String MESSAGE = "must not contain the NUL character (%00)";

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            boolean nul = parameter.getKey().indexOf('\u0000') >= 0;
            for (String value : parameter.getValue()) {
                nul |= value != null && value.indexOf('\u0000') >= 0;
            }
            if (nul) {
                errors.add(new FieldError(parameter.getKey().replace('\u0000', '?'), MESSAGE));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(HttpStatus.BAD_REQUEST, errors);
        }
        return true;
    }
}
