package dev.bookingplatform.events.units;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * One unit per local date: a night from check-in to check-out the next morning, or a day from opening to
 * closing. The unit of date D begins at D's {@code start} in local time and ends at {@code end} on D, or on
 * the next day when {@code end} is not after {@code start}; so a night across a daylight-saving change is
 * one night of 23 or 25 hours. A local time a change skips is read as the time after the gap.
 *
 * @param night whether the unit is called a night (check-in/check-out) rather than a day
 */
public record DailyUnit(boolean night, LocalTime start, LocalTime end) implements BookingUnit {

    public static DailyUnit night(LocalTime checkIn, LocalTime checkOut) {
        return new DailyUnit(true, checkIn, checkOut);
    }

    public static DailyUnit day(LocalTime opening, LocalTime closing) {
        return new DailyUnit(false, opening, closing);
    }

    public DailyUnit {
        if (start.getSecond() != 0 || start.getNano() != 0 || end.getSecond() != 0 || end.getNano() != 0) {
            throw new IllegalArgumentException("Unit times are whole minutes: " + start + ", " + end);
        }
        if (night && end.isAfter(start)) {
            throw new IllegalArgumentException("A night's check-out (" + end + ") falls on the next day, before check-in (" + start + ")");
        }
    }

    @Override
    public String name() {
        return night ? "night" : "day";
    }

    @Override
    public List<UnitSlot> unitsStartingOn(LocalDate date, ZoneId zone) {
        return List.of(unitOf(date, zone));
    }

    @Override
    public Optional<UnitSlot> unitStartingAt(Instant instant, ZoneId zone) {
        LocalDate date = LocalDate.ofInstant(instant, zone);
        return Optional.of(unitOf(date, zone)).filter(unit -> unit.start().equals(instant));
    }

    @Override
    public boolean isUnitEnd(Instant instant, ZoneId zone) {
        LocalDate date = LocalDate.ofInstant(instant, zone);
        return unitOf(date, zone).end().equals(instant) || unitOf(date.minusDays(1), zone).end().equals(instant);
    }

    @Override
    public UnitSlot next(UnitSlot unit, ZoneId zone) {
        return unitOf(LocalDate.ofInstant(unit.start(), zone).plusDays(1), zone);
    }

    @Override
    public String startRule(ZoneId zone) {
        return (night ? "be a check-in at " : "be the start of a day at ") + start + " (" + zone.getId() + " time)";
    }

    @Override
    public String endRule(ZoneId zone) {
        return (night ? "be a check-out at " : "be the end of a day at ") + end + " (" + zone.getId() + " time)";
    }

    @Override
    public Duration longest() {
        return Duration.ofHours(26);
    }

    @Override
    public Duration nominal() {
        return Duration.ofDays(1);
    }

    private UnitSlot unitOf(LocalDate date, ZoneId zone) {
        LocalDate endDate = end.isAfter(start) ? date : date.plusDays(1);
        return new UnitSlot(resolve(date, start, zone), resolve(endDate, end, zone));
    }

    private static Instant resolve(LocalDate date, LocalTime time, ZoneId zone) {
        return ZonedDateTime.ofLocal(date.atTime(time), zone, null).toInstant();
    }
}
