package dev.bookingplatform.events.units;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import dev.bookingplatform.events.BookingUnitSpec;
import dev.bookingplatform.events.UnitKind;

/**
 * How one resource is booked: its zone, its unit, and the least and most units one booking may take.
 * {@link #cover} turns a requested range into the units it holds, or says why it cannot.
 */
public record BookingRules(ZoneId zone, BookingUnit unit, int minUnits, int maxUnits) {

    public BookingRules {
        if (minUnits < 1 || maxUnits < minUnits) {
            throw new IllegalArgumentException("Units per booking must be 1 <= min <= max, not " + minUnits + ".." + maxUnits);
        }
    }

    /** The units covering {@code [start, end)}, all of them whole, or the reasons the range is refused. */
    public Coverage cover(Instant start, Instant end) {
        if (!end.isAfter(start)) {
            return Coverage.refused(new RangeViolation("slotEnd", "must be after slotStart"));
        }
        List<RangeViolation> violations = new ArrayList<>();
        var first = unit.unitStartingAt(start, zone);
        if (first.isEmpty()) {
            violations.add(new RangeViolation("slotStart", "must " + unit.startRule(zone)));
        }
        if (!unit.isUnitEnd(end, zone)) {
            violations.add(new RangeViolation("slotEnd", "must " + unit.endRule(zone)));
        }
        if (Duration.between(start, end).compareTo(unit.longest().multipliedBy(maxUnits)) > 0) {
            violations.add(tooMany());
        }
        if (!violations.isEmpty()) {
            return Coverage.refused(violations);
        }
        List<UnitSlot> units = new ArrayList<>();
        UnitSlot next = first.get();
        while (true) {
            units.add(next);
            if (!next.end().isBefore(end)) {
                break;
            }
            if (units.size() == maxUnits) {
                return Coverage.refused(tooMany());
            }
            next = unit.next(next, zone);
        }
        if (!next.end().equals(end)) {
            // Both ends are unit boundaries yet the units overshoot: the end falls between two daily units.
            return Coverage.refused(new RangeViolation("slotEnd", "must " + unit.endRule(zone)));
        }
        if (units.size() < minUnits) {
            return Coverage.refused(new RangeViolation("slotEnd", "at least " + unit.count(minUnits) + " per booking"));
        }
        return new Coverage(List.copyOf(units), List.of());
    }

    /** The units that start in {@code [from, to)}, in order. */
    public List<UnitSlot> unitsStartingBetween(Instant from, Instant to) {
        List<UnitSlot> units = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(to, zone);
        for (LocalDate date = LocalDate.ofInstant(from, zone).minusDays(1); !date.isAfter(last); date = date.plusDays(1)) {
            for (UnitSlot slot : unit.unitsStartingOn(date, zone)) {
                if (!slot.start().isBefore(from) && slot.start().isBefore(to)) {
                    units.add(slot);
                }
            }
        }
        return units;
    }

    private RangeViolation tooMany() {
        return new RangeViolation("slotEnd", "at most " + unit.count(maxUnits) + " per booking");
    }

    /** These rules as ResourceChanged announces them. */
    public BookingUnitSpec toSpec() {
        if (unit instanceof MinuteUnit minutes) {
            return new BookingUnitSpec(zone.getId(), UnitKind.MINUTES, minutes.minutes(), minutes.alignment(), 0, minUnits, maxUnits);
        }
        DailyUnit daily = (DailyUnit) unit;
        return new BookingUnitSpec(zone.getId(), daily.night() ? UnitKind.NIGHT : UnitKind.DAY, 0, minuteOfDay(daily.start()),
                minuteOfDay(daily.end()), minUnits, maxUnits);
    }

    /**
     * The rules a ResourceChanged announces.
     *
     * @throws IllegalArgumentException for a unit kind this build does not know, or values out of range
     */
    public static BookingRules of(BookingUnitSpec spec) {
        BookingUnit unit = switch (spec.getKind()) {
            case MINUTES -> new MinuteUnit(spec.getUnitMinutes(), spec.getStartMinuteOfDay());
            case NIGHT -> DailyUnit.night(time(spec.getStartMinuteOfDay()), time(spec.getEndMinuteOfDay()));
            case DAY -> DailyUnit.day(time(spec.getStartMinuteOfDay()), time(spec.getEndMinuteOfDay()));
            case OTHER -> throw new IllegalArgumentException("Unit kind unknown to this build (announced by a newer producer)");
        };
        return new BookingRules(ZoneId.of(spec.getTimeZone()), unit, spec.getMinUnits(), spec.getMaxUnits());
    }

    private static LocalTime time(int minuteOfDay) {
        if (minuteOfDay < 0 || minuteOfDay >= 1440) {
            throw new IllegalArgumentException("A minute of the day is 0..1439, not " + minuteOfDay);
        }
        return LocalTime.MIDNIGHT.plusMinutes(minuteOfDay);
    }

    private static int minuteOfDay(LocalTime time) {
        return time.getHour() * 60 + time.getMinute();
    }

    /** The result of {@link #cover}: the units held, or why not (never both). */
    public record Coverage(List<UnitSlot> units, List<RangeViolation> violations) {

        static Coverage refused(RangeViolation... violations) {
            return refused(List.of(violations));
        }

        static Coverage refused(List<RangeViolation> violations) {
            return new Coverage(List.of(), List.copyOf(violations));
        }

        public boolean accepted() {
            return violations.isEmpty();
        }
    }
}
