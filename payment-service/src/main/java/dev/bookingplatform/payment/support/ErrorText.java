package dev.bookingplatform.payment.support;

import java.util.regex.Pattern;

/**
 * An error as payment-service keeps it (intent and webhook records, read back by ops in a booking's timeline):
 * shortened, and without what an error message may echo but ops need not see. Stripe's messages quote the
 * parameter that was refused (a customer's e-mail address) and, for a wrong key, part of the key.
 */
public final class ErrorText {

    static final int MAX_LENGTH = 2000;

    private static final Pattern EMAIL = Pattern.compile("[\\w.%+-]+@[\\w-]+(\\.[\\w-]+)+");

    private static final Pattern SECRET = Pattern.compile("\\b(sk|rk|whsec)_[A-Za-z0-9_*]+");

    private ErrorText() {
    }

    public static String kept(String error) {
        String scrubbed = SECRET.matcher(EMAIL.matcher(error).replaceAll("<e-mail>")).replaceAll("$1_<redacted>");
        return scrubbed.length() > MAX_LENGTH ? scrubbed.substring(0, MAX_LENGTH) : scrubbed;
    }
}
