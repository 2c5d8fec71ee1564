package dev.bookingplatform.events.units;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.bookingplatform.events.BookingUnitSpec;

import static org.assertj.core.api.Assertions.assertThat;

class BookingRulesTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static final BookingRules COURT = new BookingRules(BERLIN, new MinuteUnit(60, 0), 1, 3);

    private static final BookingRules ROOM = new BookingRules(ZoneId.of("Europe/Lisbon"),
            DailyUnit.night(LocalTime.of(15, 0), LocalTime.of(11, 0)), 1, 14);

    @Test
    void anAlignedRangeCoversEachHourItSpans() {
        var coverage = COURT.cover(Instant.parse("2030-07-01T09:00:00Z"), Instant.parse("2030-07-01T12:00:00Z"));

        assertThat(coverage.violations()).isEmpty();
        assertThat(coverage.units()).extracting(UnitSlot::start).containsExactly(Instant.parse("2030-07-01T09:00:00Z"),
                Instant.parse("2030-07-01T10:00:00Z"), Instant.parse("2030-07-01T11:00:00Z"));
    }

    @Test
    void aRangeOffTheHourIsRefusedNamingTheField() {
        var coverage = COURT.cover(Instant.parse("2030-07-01T10:00:01Z"), Instant.parse("2030-07-01T11:00:01Z"));

        assertThat(coverage.accepted()).isFalse();
        assertThat(coverage.violations()).containsExactly(
                new RangeViolation("slotStart", "must be on the hour (Europe/Berlin time)"),
                new RangeViolation("slotEnd", "must be on the hour (Europe/Berlin time)"));
        assertThat(COURT.cover(Instant.parse("2030-07-01T10:30:00Z"), Instant.parse("2030-07-01T11:30:00Z")).violations())
                .extracting(RangeViolation::field).containsExactly("slotStart", "slotEnd");
    }

    @Test
    void tooManyOrTooFewUnitsAreRefused() {
        assertThat(COURT.cover(Instant.parse("2030-07-01T08:00:00Z"), Instant.parse("2030-07-01T12:00:00Z")).violations())
                .containsExactly(new RangeViolation("slotEnd", "at most 3 hours per booking"));
        assertThat(ROOM.cover(Instant.parse("2030-08-01T14:00:00Z"), Instant.parse("2031-08-01T10:00:00Z")).violations())
                .containsExactly(new RangeViolation("slotEnd", "at most 14 nights per booking"));
        BookingRules atLeastTwo = new BookingRules(BERLIN, new MinuteUnit(60, 0), 2, 4);
        assertThat(atLeastTwo.cover(Instant.parse("2030-07-01T08:00:00Z"), Instant.parse("2030-07-01T09:00:00Z")).violations())
                .containsExactly(new RangeViolation("slotEnd", "at least 2 hours per booking"));
    }

    @Test
    void nightsRunFromCheckInToCheckOutInLocalTime() {
        // Lisbon is UTC+1 in summer: check-in 15:00 is 14:00Z, check-out 11:00 is 10:00Z.
        var threeNights = ROOM.cover(Instant.parse("2030-08-01T14:00:00Z"), Instant.parse("2030-08-04T10:00:00Z"));

        assertThat(threeNights.units()).hasSize(3);
        assertThat(threeNights.units().get(1)).isEqualTo(new UnitSlot(Instant.parse("2030-08-02T14:00:00Z"),
                Instant.parse("2030-08-03T10:00:00Z")));
        assertThat(ROOM.cover(Instant.parse("2030-08-01T10:00:00Z"), Instant.parse("2030-08-01T11:00:00Z")).violations())
                .containsExactly(new RangeViolation("slotStart", "must be a check-in at 15:00 (Europe/Lisbon time)"),
                        new RangeViolation("slotEnd", "must be a check-out at 11:00 (Europe/Lisbon time)"));
    }

    @Test
    void aNightAcrossTheEndOfSummerTimeIsOneNightOfTwentyOneHours() {
        // Lisbon leaves summer time on 2030-10-27 at 02:00 local: 15:00 WEST to 11:00 WET is 21 real hours.
        var night = ROOM.cover(Instant.parse("2030-10-26T14:00:00Z"), Instant.parse("2030-10-27T11:00:00Z"));

        assertThat(night.units()).singleElement()
                .satisfies(unit -> assertThat(Duration.between(unit.start(), unit.end())).isEqualTo(Duration.ofHours(21)));
    }

    @Test
    void aDayAcrossADaylightSavingChangeLastsTwentyThreeOrTwentyFiveHours() {
        BookingRules wholeDays = new BookingRules(BERLIN, DailyUnit.day(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT), 1, 7);

        var spring = wholeDays.cover(Instant.parse("2030-03-30T23:00:00Z"), Instant.parse("2030-03-31T22:00:00Z"));
        var autumn = wholeDays.cover(Instant.parse("2030-10-26T22:00:00Z"), Instant.parse("2030-10-27T23:00:00Z"));

        assertThat(spring.units()).singleElement().satisfies(unit ->
                assertThat(Duration.between(unit.start(), unit.end())).isEqualTo(Duration.ofHours(23)));
        assertThat(autumn.units()).singleElement().satisfies(unit ->
                assertThat(Duration.between(unit.start(), unit.end())).isEqualTo(Duration.ofHours(25)));
    }

    @Test
    void hoursFollowTheLocalClockThroughBothChanges() {
        // Berlin: 2030-03-31 has 23 local hours, 2030-10-27 has 25; every hourly unit is one real hour.
        List<UnitSlot> spring = COURT.unitsStartingBetween(Instant.parse("2030-03-30T23:00:00Z"), Instant.parse("2030-03-31T22:00:00Z"));
        List<UnitSlot> autumn = COURT.unitsStartingBetween(Instant.parse("2030-10-26T22:00:00Z"), Instant.parse("2030-10-27T23:00:00Z"));

        assertThat(spring).hasSize(23).allSatisfy(unit -> assertThat(Duration.between(unit.start(), unit.end())).hasHours(1));
        assertThat(autumn).hasSize(25).allSatisfy(unit -> assertThat(Duration.between(unit.start(), unit.end())).hasHours(1));
    }

    @Test
    void aUnitOffTheUtcHourAlignsInAZoneWithAHalfHourOffset() {
        BookingRules kolkata = new BookingRules(ZoneId.of("Asia/Kolkata"), new MinuteUnit(60, 0), 1, 2);

        assertThat(kolkata.cover(Instant.parse("2030-07-01T04:30:00Z"), Instant.parse("2030-07-01T05:30:00Z")).accepted()).isTrue();
        assertThat(kolkata.cover(Instant.parse("2030-07-01T04:00:00Z"), Instant.parse("2030-07-01T05:00:00Z")).accepted()).isFalse();
    }

    @Test
    void halfHourUnitsDescribeTheirBoundaries() {
        BookingRules halfHours = new BookingRules(ZoneId.of("UTC"), new MinuteUnit(30, 15), 1, 4);

        assertThat(halfHours.cover(Instant.parse("2030-07-01T10:00:00Z"), Instant.parse("2030-07-01T10:45:00Z")).violations())
                .containsExactly(new RangeViolation("slotStart", "must be at :15, :45 (UTC time)"));
    }

    /**
     * Random ranges on hours in Berlin and half hours in New York, whose offsets are whole units, so the
     * oracle is the UTC grid: a range is accepted exactly when both ends are on it and it spans min..max
     * units, and then it covers exactly the grid units between its ends. DST changes of both zones fall
     * inside the year drawn from.
     */
    @Test
    void aRangeIsAcceptedExactlyWhenItCoversWholeUnitsOnTheGrid() {
        long seed = Long.getLong("property.seed", System.nanoTime());
        Random random = new Random(seed);
        record Grid(BookingRules rules, int minutes) {
        }
        List<Grid> grids = List.of(new Grid(COURT, 60),
                new Grid(new BookingRules(ZoneId.of("America/New_York"), new MinuteUnit(30, 0), 2, 8), 30));
        Instant base = Instant.parse("2030-01-01T00:00:00Z");
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            Grid grid = grids.get(random.nextInt(grids.size()));
            // Half the starts and ends on the unit grid, the rest on quarter hours, plus a few seconds now and then.
            int step = random.nextBoolean() ? grid.minutes : 15;
            Instant start = base.plus(Duration.ofMinutes((long) step * random.nextInt(365 * 24 * 60 / step)));
            step = random.nextBoolean() ? grid.minutes : 15;
            Instant end = start.plus(Duration.ofMinutes((long) step * (1 + random.nextInt((grid.rules.maxUnits() + 2) * grid.minutes / step))));
            if (random.nextInt(10) == 0) {
                end = end.plusSeconds(1 + random.nextInt(59));
            }
            long gridSeconds = grid.minutes * 60L;
            long units = Duration.between(start, end).getSeconds() / gridSeconds;
            boolean whole = start.getEpochSecond() % gridSeconds == 0 && end.getEpochSecond() % gridSeconds == 0;
            boolean expected = whole && units >= grid.rules.minUnits() && units <= grid.rules.maxUnits();

            var coverage = grid.rules.cover(start, end);

            assertThat(coverage.accepted()).as("seed %d: %s to %s on %s", seed, start, end, grid.rules).isEqualTo(expected);
            if (expected) {
                accepted++;
                List<UnitSlot> oracle = new java.util.ArrayList<>();
                for (Instant unit = start; unit.isBefore(end); unit = unit.plusSeconds(gridSeconds)) {
                    oracle.add(new UnitSlot(unit, unit.plusSeconds(gridSeconds)));
                }
                assertThat(coverage.units()).as("seed %d: %s to %s", seed, start, end).isEqualTo(oracle);
            }
        }
        assertThat(accepted).as("seed %d: enough ranges were accepted to mean something", seed).isGreaterThan(2_000);
    }

    /** Random stays in Lisbon, through both changes of a year: the oracle builds each night from the local calendar. */
    @Test
    void aStayIsAcceptedExactlyWhenItRunsFromACheckInToACheckOut() {
        long seed = Long.getLong("property.seed", System.nanoTime());
        Random random = new Random(seed);
        ZoneId lisbon = ZoneId.of("Europe/Lisbon");
        int accepted = 0;
        for (int i = 0; i < 5_000; i++) {
            java.time.LocalDate checkInDay = java.time.LocalDate.of(2030, 1, 1).plusDays(random.nextInt(365));
            int nights = random.nextInt(17);
            int startShift = random.nextInt(4) == 0 ? random.nextInt(-120, 121) : 0;
            int endShift = random.nextInt(4) == 0 ? random.nextInt(-120, 121) : 0;
            Instant start = checkInDay.atTime(15, 0).atZone(lisbon).toInstant().plus(Duration.ofMinutes(startShift));
            Instant end = checkInDay.plusDays(nights).atTime(11, 0).atZone(lisbon).toInstant().plus(Duration.ofMinutes(endShift));
            boolean expected = startShift == 0 && endShift == 0 && nights >= 1 && nights <= 14;

            var coverage = ROOM.cover(start, end);

            assertThat(coverage.accepted()).as("seed %d: %s to %s", seed, start, end).isEqualTo(expected);
            if (expected) {
                accepted++;
                List<UnitSlot> oracle = java.util.stream.IntStream.range(0, nights).mapToObj(n -> new UnitSlot(
                        checkInDay.plusDays(n).atTime(15, 0).atZone(lisbon).toInstant(),
                        checkInDay.plusDays(n + 1).atTime(11, 0).atZone(lisbon).toInstant())).toList();
                assertThat(coverage.units()).as("seed %d: %s to %s", seed, start, end).isEqualTo(oracle);
            }
        }
        assertThat(accepted).as("seed %d", seed).isGreaterThan(1_000);
    }

    @Test
    void aDailyUnitWhoseBoundaryTheClockSkipsIsStillOneUnit() {
        // Chile moves its clocks at midnight: on 2030-09-08 local 00:00 does not exist in America/Santiago.
        BookingRules days = new BookingRules(ZoneId.of("America/Santiago"), new MinuteUnit(1440, 0), 1, 3);
        List<UnitSlot> units = days.unitsStartingBetween(Instant.parse("2030-09-05T00:00:00Z"), Instant.parse("2030-09-12T00:00:00Z"));

        assertThat(units).isNotEmpty();
        for (UnitSlot unit : units) {
            assertThat(days.cover(unit.start(), unit.end()).units()).as("%s", unit).containsExactly(unit);
        }
    }

    @Test
    void rulesSurviveTheEventThatAnnouncesThem() {
        for (BookingRules rules : List.of(COURT, ROOM)) {
            BookingUnitSpec spec = rules.toSpec();
            assertThat(BookingRules.of(spec)).isEqualTo(rules);
        }
    }
}
