package dev.bookingplatform.web;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Every string of a request body, refused when it is not text a database can keep: PostgreSQL refuses the NUL
 * character in any text column (the request failed with a 500 after validation passed), and the JDBC driver
 * writes an unpaired surrogate ({@code "\ud800"}, not a character at all) as {@code ?}, changing what was sent.
 */
final class StorableTextDeserializer extends StringDeserializer {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
        String text = super.deserialize(parser, context);
        @Nullable String refusal = text == null ? null : refusal(text);
        if (refusal != null) {
            throw new UnstorableTextException(parser, refusal);
        }
        return text;
    }

    /** Why {@code text} cannot be kept as sent, or null when it can. */
    static @Nullable String refusal(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "must not contain the NUL character (\\u0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            }
            else if (Character.isSurrogate(c)) {
                return "must be Unicode text: \\u" + Integer.toHexString(c) + " is an unpaired surrogate";
            }
        }
        return null;
    }

    /** A string the body carried that cannot be kept as sent; its path in the body is added as Jackson unwinds. */
    static final class UnstorableTextException extends MismatchedInputException {

        private final String reason;

        UnstorableTextException(JsonParser parser, String reason) {
            super(parser, reason, String.class);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }
}
