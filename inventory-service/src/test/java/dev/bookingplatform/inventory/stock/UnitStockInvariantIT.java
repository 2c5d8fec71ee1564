package dev.bookingplatform.inventory.stock;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.testsupport.junit.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The database itself refuses an oversell: hand-written SQL that bypasses the Java code, whether it adds
 * a hold or a hold row, takes a unit from a hold, edits or truncates a counter, or opens an overlapping
 * unit, fails with the constraint's name.
 */
@SpringBootTest(properties = { "spring.config.name=inventory-service", "bookingplatform.inventory.seed-resources=false" })
@RealInfrastructure
@Timeout(60)
class UnitStockInvariantIT {

    private static final Timestamp UNIT = Timestamp.from(Instant.parse("2031-07-01T10:00:00Z"));

    private static final Timestamp UNIT_END = Timestamp.from(Instant.parse("2031-07-01T11:00:00Z"));

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    private String resource;

    private UUID firstBooking;

    @BeforeEach
    void aCourtOfCapacityOneWhoseTenOClockIsHeld() {
        resource = "raw-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                INSERT INTO resource (id, name, capacity_per_unit, unit_price_minor, currency, hold_duration_seconds)
                VALUES (?, 'Raw court', 1, 100, 'EUR', 600)""").param(resource).update();
        jdbc.sql("INSERT INTO unit_stock (resource_id, unit_start, unit_end, capacity) VALUES (?, ?, ?, 1)")
                .params(resource, UNIT, UNIT_END).update();
        firstBooking = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            insertHold(firstBooking);
            jdbc.sql("INSERT INTO hold_unit (booking_id, resource_id, unit_start, quantity) VALUES (?, ?, ?, 1)")
                    .params(firstBooking, resource, UNIT).update();
        });
        assertThat(held()).isEqualTo(1);
    }

    @Test
    void aHoldWithoutItsUnitsIsRefusedAtCommit() {
        assertThatThrownBy(() -> insertHold(UUID.randomUUID()))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("does not hold every unit");
        assertThat(jdbc.sql("SELECT count(*) FROM hold WHERE resource_id = ?").param(resource).query(Long.class).single()).isOne();
    }

    @Test
    void takingAUnitAwayFromALiveHoldIsRefused() {
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM hold_unit WHERE booking_id = ?").param(firstBooking).update())
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("does not hold every unit");
        assertThat(held()).isEqualTo(1);
    }

    @Test
    void aReleasedHoldMustGiveItsUnitsBack() {
        assertThatThrownBy(() -> jdbc.sql("UPDATE hold SET status = 'RELEASED' WHERE booking_id = ?").param(firstBooking).update())
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("still holds");
    }

    @Test
    void aUnitCannotBeMovedFromOneHoldToAnother() {
        UUID other = UUID.randomUUID();
        Timestamp later = Timestamp.from(Instant.parse("2031-07-01T12:00:00Z"));
        jdbc.sql("INSERT INTO unit_stock (resource_id, unit_start, unit_end, capacity) VALUES (?, ?, ?, 1)")
                .params(resource, later, Timestamp.from(Instant.parse("2031-07-01T13:00:00Z"))).update();
        transactions.executeWithoutResult(status -> {
            jdbc.sql("""
                    INSERT INTO hold (booking_id, resource_id, slot_start, slot_end, quantity, status, total_minor, currency, expires_at)
                    VALUES (?, ?, ?, '2031-07-01T13:00:00Z', 1, 'HELD', 100, 'EUR', now() + interval '10 minutes')""")
                    .params(other, resource, later).update();
            jdbc.sql("INSERT INTO hold_unit (booking_id, resource_id, unit_start, quantity) VALUES (?, ?, ?, 1)")
                    .params(other, resource, later).update();
        });

        assertThatThrownBy(() -> jdbc.sql("UPDATE hold_unit SET booking_id = ? WHERE booking_id = ?").params(other, firstBooking).update())
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("does not hold every unit");
    }

    @Test
    void aReleasedHoldCannotBeGivenUnitsBehindItsBack() {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("UPDATE hold SET status = 'RELEASED' WHERE booking_id = ?").param(firstBooking).update();
            jdbc.sql("DELETE FROM hold_unit WHERE booking_id = ?").param(firstBooking).update();
        });

        assertThatThrownBy(() -> jdbc.sql("INSERT INTO hold_unit (booking_id, resource_id, unit_start, quantity) VALUES (?, ?, ?, 1)")
                .params(firstBooking, resource, UNIT).update())
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("still holds");
        assertThat(held()).isZero();
    }

    @Test
    void aUnitOverlappingAnotherOfItsResourceIsRefused() {
        assertThatThrownBy(() -> jdbc.sql("INSERT INTO unit_stock (resource_id, unit_start, unit_end, capacity) VALUES (?, ?, ?, 1)")
                .params(resource, Timestamp.from(Instant.parse("2031-07-01T10:30:00Z")), Timestamp.from(Instant.parse("2031-07-01T11:30:00Z")))
                .update())
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("unit_stock_units_do_not_overlap");
    }

    @Test
    void theCountersCannotBeTruncated() {
        for (String table : new String[] { "hold_unit", "unit_stock", "hold" }) {
            assertThatThrownBy(() -> jdbc.sql("TRUNCATE " + table + " CASCADE").update()).as(table)
                    .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("cannot be truncated");
        }
        assertThat(held()).isEqualTo(1);
    }

    @Test
    void aSecondHoldRowForAFullUnitIsRefused() {
        UUID second = UUID.randomUUID();

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            insertHold(second);
            jdbc.sql("INSERT INTO hold_unit (booking_id, resource_id, unit_start, quantity) VALUES (?, ?, ?, 1)")
                    .params(second, resource, UNIT).update();
        })).isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("unit_stock_within_capacity");
        assertThat(held()).isEqualTo(1);
    }

    @Test
    void raisingAHoldRowsQuantityBeyondCapacityIsRefused() {
        assertThatThrownBy(() -> jdbc.sql("UPDATE hold_unit SET quantity = 2 WHERE booking_id = ?").param(firstBooking).update())
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("unit_stock_within_capacity");
    }

    @Test
    void theCounterCannotBeEditedByHandEitherWay() {
        for (String edit : new String[] { "held = held + 1", "held = 0", "capacity = 5", "capacity = capacity + 1" }) {
            assertThatThrownBy(() -> jdbc.sql("UPDATE unit_stock SET " + edit + " WHERE resource_id = ?").param(resource).update())
                    .as(edit).isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("kept by hold_unit and resource");
        }
        assertThat(held()).isEqualTo(1);
    }

    @Test
    void aNewUnitStartsEmptyAtItsResourcesCapacity() {
        Timestamp later = Timestamp.from(Instant.parse("2031-07-01T12:00:00Z"));
        Timestamp laterEnd = Timestamp.from(Instant.parse("2031-07-01T13:00:00Z"));

        assertThatThrownBy(() -> jdbc.sql("INSERT INTO unit_stock (resource_id, unit_start, unit_end, capacity, held) VALUES (?, ?, ?, 9, 1)")
                .params(resource, later, laterEnd).update())
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("must start with nothing held");
        jdbc.sql("INSERT INTO unit_stock (resource_id, unit_start, unit_end, capacity) VALUES (?, ?, ?, 100)")
                .params(resource, later, laterEnd).update();
        assertThat(jdbc.sql("SELECT capacity FROM unit_stock WHERE resource_id = ? AND unit_start = ?").params(resource, later)
                .query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void capacityCannotDropBelowWhatAFutureUnitHolds() {
        assertThatThrownBy(() -> jdbc.sql("UPDATE resource SET capacity_per_unit = 0 WHERE id = ?").param(resource).update())
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("unit_stock_within_capacity");

        transactions.executeWithoutResult(status -> {
            jdbc.sql("UPDATE hold SET status = 'RELEASED' WHERE booking_id = ?").param(firstBooking).update();
            jdbc.sql("DELETE FROM hold_unit WHERE booking_id = ?").param(firstBooking).update();
        });
        jdbc.sql("UPDATE resource SET capacity_per_unit = 0 WHERE id = ?").param(resource).update();
        assertThat(held()).isZero();
        assertThat(jdbc.sql("SELECT capacity FROM unit_stock WHERE resource_id = ?").param(resource).query(Integer.class).single())
                .isZero();
    }

    private void insertHold(UUID booking) {
        jdbc.sql("""
                INSERT INTO hold (booking_id, resource_id, slot_start, slot_end, quantity, status, total_minor, currency, expires_at)
                VALUES (?, ?, ?, ?, 1, 'HELD', 100, 'EUR', now() + interval '10 minutes')""")
                .params(booking, resource, UNIT, UNIT_END).update();
    }

    private int held() {
        return jdbc.sql("SELECT held FROM unit_stock WHERE resource_id = ? AND unit_start = ?").params(resource, UNIT)
                .query(Integer.class).single();
    }
}
