package dev.bookingplatform.payment.webhook;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

import dev.bookingplatform.web.ApiProblemException;

/**
 * The webhook body as the exact bytes received. Stripe signs the UTF-8 bytes it sends; stripe-java verifies a
 * String by encoding it to UTF-8 again, which gives back the same bytes only if they were valid UTF-8. So the
 * bytes are decoded strictly (no charset from a header, no replacement characters) and anything else is refused.
 */
final class RawBody {

    private RawBody() {
    }

    static String exactText(byte @Nullable [] bytes) {
        if (bytes == null) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (CharacterCodingException notUtf8) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "Invalid Stripe signature",
                    "The webhook was not verified: its body is not UTF-8, so it was not signed by Stripe");
        }
    }
}
