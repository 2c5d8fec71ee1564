package dev.bookingplatform.eventing.schema;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * Creates and upgrades the library's tables (outbox, inbox, relay offsets) in a service's database.
 * They have their own Flyway history table, so a service's own migrations keep their numbering.
 */
public final class EventingSchema {

    public static final String HISTORY_TABLE = "eventing_schema_history";

    private EventingSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/eventing")
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
