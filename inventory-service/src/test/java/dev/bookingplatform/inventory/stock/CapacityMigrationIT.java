package dev.bookingplatform.inventory.stock;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bookingplatform.testsupport.Infrastructure;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An inventory written by the release before units (counters per slot start, V1) keeps every live hold
 * through the migration: each becomes a hold of one unit, the counters carry over, released holds hold
 * nothing, and the new invariant holds from the first statement after.
 */
@Timeout(60)
class CapacityMigrationIT {

    @Test
    void liveHoldsOfTheSlotModelSurviveAsUnitHolds() {
        PostgresDatabase database = Infrastructure.postgres().createDatabase("capacity_migration");
        JdbcClient jdbc = JdbcClient.create(database.dataSource());
        flyway(database, "1").migrate();
        jdbc.sql("""
                INSERT INTO resource (id, name, capacity_per_slot, unit_price_minor, currency, hold_duration_seconds)
                VALUES ('court', 'Court', 2, 2000, 'EUR', 900)""").update();
        UUID held = UUID.randomUUID();
        UUID confirmed = UUID.randomUUID();
        UUID released = UUID.randomUUID();
        for (Map.Entry<UUID, String> hold : Map.of(held, "HELD", confirmed, "CONFIRMED", released, "RELEASED").entrySet()) {
            jdbc.sql("""
                    INSERT INTO hold (booking_id, resource_id, slot_start, slot_end, quantity, status, total_minor, currency, expires_at)
                    VALUES (?, 'court', '2031-05-01T10:00:00Z', '2031-05-01T11:00:00Z', 1, ?, 2000, 'EUR', now() + interval '1 hour')""")
                    .params(hold.getKey(), hold.getValue()).update();
        }
        jdbc.sql("INSERT INTO slot_usage (resource_id, slot_start, taken) VALUES ('court', '2031-05-01T10:00:00Z', 2)").update();

        flyway(database, "latest").migrate();

        assertThat(jdbc.sql("SELECT held FROM unit_stock WHERE resource_id = 'court'").query(Integer.class).list()).containsExactly(2);
        assertThat(jdbc.sql("SELECT booking_id FROM hold_unit ORDER BY booking_id").query(UUID.class).list())
                .containsExactlyInAnyOrderElementsOf(List.of(held, confirmed));
        assertThat(jdbc.sql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'slot_usage'").query(Long.class).single())
                .isZero();
        assertThatThrownBy(() -> jdbc.sql("""
                INSERT INTO hold_unit (booking_id, resource_id, unit_start, quantity) VALUES (?, 'court', '2031-05-01T10:00:00Z', 1)""")
                .param(released).update())
                .as("the court's 10:00 is full after the migration")
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("unit_stock_within_capacity");
    }

    private static Flyway flyway(PostgresDatabase database, String target) {
        return Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/inventory").target(target).load();
    }
}
