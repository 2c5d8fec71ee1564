package dev.bookingplatform.eventing.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.metrics.EventingMeters;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.eventing.relay.OutboxRelay;
import dev.bookingplatform.eventing.relay.RelaySettings;
import dev.bookingplatform.eventing.schema.EventingSchema;
import dev.bookingplatform.events.registry.RestSchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistrySettings;
import dev.bookingplatform.events.serde.AvroEventSerializer;
import dev.bookingplatform.testsupport.kafka.KafkaBroker;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.testsupport.registry.SchemaRegistry;

/** A migrated service database with an outbox writer, and relays pointed at it. */
public final class OutboxFixture {

    private final PostgresDatabase database;

    private final DataSource dataSource;

    private final TransactionTemplate transactions;

    private final OutboxWriter writer;

    private final String bootstrapServers;

    public OutboxFixture(PostgresDatabase database, KafkaBroker kafka, SchemaRegistry registry) {
        this.database = database;
        this.dataSource = database.dataSource();
        this.bootstrapServers = kafka.bootstrapServers();
        EventingSchema.migrate(dataSource);
        OutboxRelay.prepareSlot(RelaySettings.of(database.host(), database.port(), database.name(), database.username(),
                database.password(), bootstrapServers));
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.writer = new OutboxWriter(dataSource,
                new AvroEventSerializer(new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()))));
    }

    public OutboxWriter writer() {
        return writer;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs {@code work} in one committed transaction. */
    public void inTransaction(Consumer<OutboxWriter> work) {
        transactions.executeWithoutResult(status -> work.accept(writer));
    }

    /** Runs {@code work} in a transaction that is then rolled back. */
    public void inRolledBackTransaction(Consumer<OutboxWriter> work) {
        transactions.executeWithoutResult(status -> {
            work.accept(writer);
            status.setRollbackOnly();
        });
    }

    public RelaySettings relaySettings() {
        return RelaySettings.of(database.host(), database.port(), database.name(), database.username(),
                database.password(), bootstrapServers);
    }

    public OutboxRelay startRelay() {
        return startRelay(relaySettings());
    }

    public OutboxRelay startRelay(RelaySettings settings) {
        return startRelay(settings, EventingMeters.none());
    }

    public OutboxRelay startRelay(RelaySettings settings, EventingMeters meters) {
        OutboxRelay relay = new OutboxRelay(settings, meters);
        relay.start();
        return relay;
    }

    public long queryLong(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(sql, ex);
        }
    }

    public void execute(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(sql, ex);
        }
    }
}
