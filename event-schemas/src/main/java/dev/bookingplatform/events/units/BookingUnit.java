package dev.bookingplatform.events.units;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * How a resource's time is cut into units. Units align in local time, so their length in real time
 * follows the zone: a night across a daylight-saving change lasts 23 or 25 hours and is still one night.
 */
public sealed interface BookingUnit permits MinuteUnit, DailyUnit {

    /** What one unit is called, singular ("hour", "night", "30-minute slot"). */
    String name();

    default String count(long units) {
        return units + " " + (units == 1 ? name() : name() + "s");
    }

    /** Every unit that starts on this local date, in order. */
    List<UnitSlot> unitsStartingOn(LocalDate date, ZoneId zone);

    /** The unit that begins at exactly this instant, if one does. */
    Optional<UnitSlot> unitStartingAt(Instant instant, ZoneId zone);

    /** Whether some unit ends at exactly this instant. */
    boolean isUnitEnd(Instant instant, ZoneId zone);

    /** The unit after this one. */
    UnitSlot next(UnitSlot unit, ZoneId zone);

    /** What a range's start must be, as the end of "slotStart must ..." (e.g. "be on the hour"). */
    String startRule(ZoneId zone);

    /** What a range's end must be, as the end of "slotEnd must ...". */
    String endRule(ZoneId zone);

    /** The longest a unit can last in real time, daylight-saving changes included. */
    Duration longest();

    /** How long a unit lasts on a day without a daylight-saving change: a unit's place in the calendar. */
    Duration nominal();
}
