package dev.bookingplatform.inventory.resource;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.jspecify.annotations.Nullable;

import dev.bookingplatform.events.units.BookingUnit;
import dev.bookingplatform.events.units.DailyUnit;
import dev.bookingplatform.events.units.MinuteUnit;
import dev.bookingplatform.web.FieldError;

/**
 * A resource's unit as the operator writes it: {@code {"kind":"MINUTES","minutes":60,"alignmentMinutes":0}},
 * {@code {"kind":"NIGHT","start":"15:00","end":"11:00"}} (check-in, check-out) or
 * {@code {"kind":"DAY","start":"10:00","end":"13:00"}}.
 */
public record BookingUnitDefinition(@NotNull Kind kind, @Nullable Integer minutes, @Nullable Integer alignmentMinutes,
        @Nullable LocalTime start, @Nullable LocalTime end) {

    /** An hour, aligned on the hour: the unit of a resource created without one. */
    public static final BookingUnitDefinition HOUR = new BookingUnitDefinition(Kind.MINUTES, 60, 0, null, null);

    public static BookingUnitDefinition minutes(int minutes, int alignment) {
        return new BookingUnitDefinition(Kind.MINUTES, minutes, alignment, null, null);
    }

    public static BookingUnitDefinition night(LocalTime checkIn, LocalTime checkOut) {
        return new BookingUnitDefinition(Kind.NIGHT, null, null, checkIn, checkOut);
    }

    public static BookingUnitDefinition day(LocalTime opening, LocalTime closing) {
        return new BookingUnitDefinition(Kind.DAY, null, null, opening, closing);
    }

    /** What is wrong with this definition, each naming its field under {@code prefix}. */
    List<FieldError> problems(String prefix) {
        List<FieldError> problems = new ArrayList<>();
        if (kind == Kind.MINUTES) {
            if (minutes == null || minutes < 1 || 1440 % minutes != 0) {
                problems.add(new FieldError(prefix + ".minutes", "must divide a day of 1440 minutes, e.g. 15, 30, 60 or 120"));
            }
            else if (alignmentMinutes != null && (alignmentMinutes < 0 || alignmentMinutes >= minutes)) {
                problems.add(new FieldError(prefix + ".alignmentMinutes", "must be at least 0 and below minutes (" + minutes + ")"));
            }
            return problems;
        }
        if (start == null || start.getSecond() != 0 || start.getNano() != 0) {
            problems.add(new FieldError(prefix + ".start", "must be a local time in whole minutes, e.g. 15:00"));
        }
        if (end == null || end.getSecond() != 0 || end.getNano() != 0) {
            problems.add(new FieldError(prefix + ".end", "must be a local time in whole minutes, e.g. 11:00"));
        }
        if (problems.isEmpty() && kind == Kind.NIGHT && end.isAfter(start)) {
            problems.add(new FieldError(prefix + ".end", "is the check-out on the next day, so must not be after the check-in"));
        }
        return problems;
    }

    /** @throws IllegalArgumentException if {@link #problems} would list any */
    BookingUnit toUnit() {
        return switch (kind) {
            case MINUTES -> new MinuteUnit(minutes, alignmentMinutes == null ? 0 : alignmentMinutes);
            case NIGHT -> DailyUnit.night(start, end);
            case DAY -> DailyUnit.day(start, end);
        };
    }

    public enum Kind {
        MINUTES, NIGHT, DAY
    }
}
