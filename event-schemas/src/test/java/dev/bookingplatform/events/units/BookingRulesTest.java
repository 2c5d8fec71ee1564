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

    @Test
    void everyAcceptedRangeIsExactlyTheUnitsBetweenItsEnds() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<BookingRules> rules = List.of(COURT, ROOM, new BookingRules(ZoneId.of("America/New_York"), new MinuteUnit(30, 0), 1, 8),
                new BookingRules(ZoneId.of("Australia/Lord_Howe"), new MinuteUnit(60, 0), 1, 5));
        Instant base = Instant.parse("2030-03-01T00:00:00Z");
        for (int i = 0; i < 5_000; i++) {
            BookingRules rule = rules.get(random.nextInt(rules.size()));
            Instant start = base.plus(Duration.ofMinutes(random.nextInt(365 * 24 * 4) * 15L));
            Instant end = start.plus(Duration.ofMinutes((1 + random.nextInt(6 * 24 * 4)) * 15L));
            var coverage = rule.cover(start, end);
            if (coverage.accepted()) {
                List<UnitSlot> expected = rule.unitsStartingBetween(start, end);
                assertThat(coverage.units()).as("seed %d: %s to %s", seed, start, end).isEqualTo(expected);
                assertThat(coverage.units().get(coverage.units().size() - 1).end()).isEqualTo(end);
                assertThat(coverage.units().size()).isBetween(rule.minUnits(), rule.maxUnits());
            }
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
