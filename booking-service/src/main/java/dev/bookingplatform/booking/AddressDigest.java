package dev.bookingplatform.booking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An e-mail address as kept where a record must say whose it was without holding it (the erasure log, the audit
 * trail of look-ups): the SHA-256 of the address trimmed and in lower case, so one person is one digest however
 * they typed it.
 */
public final class AddressDigest {

    private AddressDigest() {
    }

    public static String of(String email) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(email.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
