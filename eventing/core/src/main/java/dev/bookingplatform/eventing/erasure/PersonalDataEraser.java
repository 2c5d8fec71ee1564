package dev.bookingplatform.eventing.erasure;

import java.util.List;
import java.util.UUID;

/**
 * A service's own tables' part of an erasure: masks the e-mail address and name it keeps for these bookings. Runs
 * in the transaction that erases the library's copies too (and, when consumed, marks the event processed).
 */
@FunctionalInterface
public interface PersonalDataEraser {

    void erase(List<UUID> bookingIds);
}
