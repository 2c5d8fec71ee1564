package dev.bookingplatform.stripesim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A form-encoded Stripe request body, as stripe-java sends it: nested keys flattened to
 * {@code line_items[0][price_data][unit_amount]=1200}.
 */
final class FormBody {

    private final Map<String, String> fields;

    private FormBody(Map<String, String> fields) {
        this.fields = fields;
    }

    static FormBody parse(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.put(key, value);
        }
        return new FormBody(fields);
    }

    @Nullable
    String get(String key) {
        return fields.get(key);
    }

    String require(String key) {
        String value = fields.get(key);
        if (value == null || value.isEmpty()) {
            throw new StripeError(400, "parameter_missing", "Missing required param: " + key + ".");
        }
        return value;
    }

    long requireLong(String key) {
        try {
            return Long.parseLong(require(key));
        }
        catch (NumberFormatException e) {
            throw new StripeError(400, "parameter_invalid_integer", "Invalid integer: " + key + ".");
        }
    }

    /** {@code metadata[bookingId]=x} and the like, under one prefix, as a map. */
    Map<String, String> map(String prefix) {
        Map<String, String> result = new LinkedHashMap<>();
        fields.forEach((key, value) -> {
            if (key.startsWith(prefix + "[") && key.endsWith("]") && key.indexOf('[', prefix.length() + 1) < 0) {
                result.put(key.substring(prefix.length() + 1, key.length() - 1), value);
            }
        });
        return result;
    }
}
