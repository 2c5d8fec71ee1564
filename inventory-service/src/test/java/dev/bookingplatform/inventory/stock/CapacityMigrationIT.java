package dev.bookingplatform.inventory.stock;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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
        courtAtVersionOne(database, jdbc, 2);
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

    /** Issue 11's bug, already in the data: 10:00-11:00 and 09:00-12:00 both held on a court of one. */
    @Test
    void unitsTheSlotModelOversoldMigrateAndTakeNothingNewUntilTheyShrinkBack() {
        PostgresDatabase database = Infrastructure.postgres().createDatabase("capacity_migration_oversold");
        DataSource dataSource = database.dataSource();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        courtAtVersionOne(database, jdbc, 1);
        UUID hour = UUID.randomUUID();
        UUID threeHours = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO hold (booking_id, resource_id, slot_start, slot_end, quantity, status, total_minor, currency, expires_at)
                VALUES (?, 'court', '2031-05-01T10:00:00Z', '2031-05-01T11:00:00Z', 1, 'CONFIRMED', 2000, 'EUR', now()),
                       (?, 'court', '2031-05-01T09:00:00Z', '2031-05-01T12:00:00Z', 1, 'CONFIRMED', 2000, 'EUR', now())""")
                .params(hour, threeHours).update();
        jdbc.sql("""
                INSERT INTO slot_usage (resource_id, slot_start, taken)
                VALUES ('court', '2031-05-01T10:00:00Z', 1), ('court', '2031-05-01T09:00:00Z', 1)""").update();

        flyway(database, "latest").migrate();

        assertThat(jdbc.sql("SELECT unit_start || ' ' || capacity || ' ' || held FROM unit_stock ORDER BY unit_start")
                .query(String.class).list()).containsExactly("2031-05-01 09:00:00+00 1 1", "2031-05-01 10:00:00+00 2 2",
                        "2031-05-01 11:00:00+00 1 1");
        // Releasing the one-hour booking gives back its hour and shrinks the oversold unit to the court's capacity.
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        transactions.executeWithoutResult(status -> {
            jdbc.sql("UPDATE hold SET status = 'RELEASED' WHERE booking_id = ?").param(hour).update();
            jdbc.sql("DELETE FROM hold_unit WHERE booking_id = ?").param(hour).update();
        });
        assertThat(jdbc.sql("SELECT capacity || ' ' || held FROM unit_stock WHERE unit_start = '2031-05-01T10:00:00Z'")
                .query(String.class).single()).isEqualTo("1 1");
    }

    /** A database migrated to V1 only, with one resource, "court", of the given capacity per slot. */
    private static void courtAtVersionOne(PostgresDatabase database, JdbcClient jdbc, int capacity) {
        flyway(database, "1").migrate();
        jdbc.sql("""
                INSERT INTO resource (id, name, capacity_per_slot, unit_price_minor, currency, hold_duration_seconds)
                VALUES ('court', 'Court', ?, 2000, 'EUR', 900)""").param(capacity).update();
    }

    private static Flyway flyway(PostgresDatabase database, String target) {
        return Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/inventory").target(target).load();
    }
}
