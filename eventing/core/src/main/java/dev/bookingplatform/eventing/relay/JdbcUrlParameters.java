package dev.bookingplatform.eventing.relay;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code ?name=value&...} parameters of a JDBC URL. */
final class JdbcUrlParameters {

    private JdbcUrlParameters() {
    }

    static Map<String, String> of(String jdbcUrl) {
        Map<String, String> parameters = new LinkedHashMap<>();
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return parameters;
        }
        for (String pair : jdbcUrl.substring(query + 1).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
            }
        }
        return parameters;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
