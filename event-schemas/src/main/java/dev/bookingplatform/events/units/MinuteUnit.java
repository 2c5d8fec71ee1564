package dev.bookingplatform.events.units;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Units of a fixed number of minutes (an hour for a court), whose boundaries are the instants at which
 * the local clock shows an aligned time: {@code alignment}, {@code alignment + minutes}, ... after midnight.
 * A local time skipped by a daylight-saving change is no boundary, and one that occurs twice is two, so
 * every unit of an hour lasts an hour of real time.
 *
 * @param minutes the length of a unit; divides a day (1440) so every day is cut the same way
 * @param alignment minutes after local midnight of the first boundary, below {@code minutes}
 */
public record MinuteUnit(int minutes, int alignment) implements BookingUnit {

    public MinuteUnit {
        if (minutes < 1 || 1440 % minutes != 0) {
            throw new IllegalArgumentException("A unit's minutes must divide a day (1440), not " + minutes);
        }
        if (alignment < 0 || alignment >= minutes) {
            throw new IllegalArgumentException("Alignment must be at least 0 and below " + minutes + ", not " + alignment);
        }
    }

    @Override
    public String name() {
        if (minutes == 60) {
            return "hour";
        }
        return minutes % 60 == 0 ? minutes / 60 + "-hour slot" : minutes + "-minute slot";
    }

    @Override
    public List<UnitSlot> unitsStartingOn(LocalDate date, ZoneId zone) {
        List<Instant> starts = boundariesOn(date, zone);
        List<UnitSlot> units = new ArrayList<>(starts.size());
        for (int i = 0; i < starts.size(); i++) {
            Instant end = i + 1 < starts.size() ? starts.get(i + 1) : nextBoundary(starts.get(i), zone);
            units.add(new UnitSlot(starts.get(i), end));
        }
        return units;
    }

    @Override
    public Optional<UnitSlot> unitStartingAt(Instant instant, ZoneId zone) {
        if (!isBoundary(instant, zone)) {
            return Optional.empty();
        }
        return Optional.of(new UnitSlot(instant, nextBoundary(instant, zone)));
    }

    @Override
    public boolean isUnitEnd(Instant instant, ZoneId zone) {
        return isBoundary(instant, zone);
    }

    @Override
    public UnitSlot next(UnitSlot unit, ZoneId zone) {
        return new UnitSlot(unit.end(), nextBoundary(unit.end(), zone));
    }

    @Override
    public String startRule(ZoneId zone) {
        return "be " + boundaryDescription() + " (" + zone.getId() + " time)";
    }

    @Override
    public String endRule(ZoneId zone) {
        return startRule(zone);
    }

    /** A change that skips a boundary (a clock jumping over midnight) joins two units, and may add hours. */
    @Override
    public Duration longest() {
        return Duration.ofMinutes(2L * minutes).plusHours(2);
    }

    @Override
    public Duration nominal() {
        return Duration.ofMinutes(minutes);
    }

    private String boundaryDescription() {
        if (minutes == 60) {
            return alignment == 0 ? "on the hour" : "at %d minutes past the hour".formatted(alignment);
        }
        if (minutes < 60 && 60 % minutes == 0) {
            return "at " + IntStream.iterate(alignment, m -> m < 60, m -> m + minutes).mapToObj(m -> ":%02d".formatted(m))
                    .collect(Collectors.joining(", "));
        }
        return "at the start of a %s, every %d minutes from %s".formatted(name(), minutes,
                LocalTime.MIDNIGHT.plusMinutes(alignment));
    }

    private boolean isBoundary(Instant instant, ZoneId zone) {
        LocalTime local = LocalDateTime.ofInstant(instant, zone).toLocalTime();
        return local.getSecond() == 0 && local.getNano() == 0 && (local.getHour() * 60 + local.getMinute() - alignment) % minutes == 0;
    }

    private Instant nextBoundary(Instant after, ZoneId zone) {
        // Without an offset change before the next unit, the local clock advances exactly one unit.
        Instant plain = after.plus(Duration.ofMinutes(minutes));
        ZoneOffsetTransition change = zone.getRules().nextTransition(after);
        if (isBoundary(after, zone) && (change == null || change.getInstant().isAfter(plain))) {
            return plain;
        }
        // Two days either side: a repeated hour near midnight can put one date's boundary after the next date's.
        LocalDate date = LocalDate.ofInstant(after, zone);
        for (LocalDate first = date.minusDays(1); ; first = first.plusDays(2)) {
            Optional<Instant> earliest = IntStream.range(0, 4).mapToObj(first::plusDays)
                    .flatMap(day -> boundariesOn(day, zone).stream()).filter(boundary -> boundary.isAfter(after)).min(Instant::compareTo);
            if (earliest.isPresent()) {
                return earliest.get();
            }
        }
    }

    /**
     * The instants at which the local clock shows an aligned time on this date, in order: none for a time
     * a daylight-saving change skips, two for a time it repeats.
     */
    private List<Instant> boundariesOn(LocalDate date, ZoneId zone) {
        TreeSet<Instant> boundaries = new TreeSet<>();
        for (int minute = alignment; minute < 1440; minute += minutes) {
            LocalDateTime local = date.atStartOfDay().plusMinutes(minute);
            for (ZoneOffset offset : zone.getRules().getValidOffsets(local)) {
                boundaries.add(local.toInstant(offset));
            }
        }
        return List.copyOf(boundaries);
    }
}
