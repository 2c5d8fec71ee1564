package dev.bookingplatform.testsupport.postgres;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** Turns a caller's hint (often a test class name) into a unique, safe PostgreSQL identifier. */
final class DatabaseNames {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static final int MAX_PREFIX = 40;

    private DatabaseNames() {
    }

    static String unique(String hint) {
        String prefix = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        if (prefix.isEmpty() || !Character.isLetter(prefix.charAt(0))) {
            prefix = "db_" + prefix;
        }
        if (prefix.length() > MAX_PREFIX) {
            prefix = prefix.substring(0, MAX_PREFIX);
        }
        return prefix + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
    }
}
