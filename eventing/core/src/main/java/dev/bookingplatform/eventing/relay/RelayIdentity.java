package dev.bookingplatform.eventing.relay;

import java.lang.management.ManagementFactory;

/** Names this process in {@code relay_leader.holder}, for an operator asking "who leads?". */
final class RelayIdentity {

    private RelayIdentity() {
    }

    static String current() {
        return ManagementFactory.getRuntimeMXBean().getName();
    }
}
