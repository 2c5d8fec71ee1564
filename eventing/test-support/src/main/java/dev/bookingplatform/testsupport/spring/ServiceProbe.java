package dev.bookingplatform.testsupport.spring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * Looks at a running service from the outside: what Flyway applied to its database, whether its Kafka
 * address reaches a broker, what its health endpoint says. Added to every {@code @RealInfrastructure}
 * Spring test context.
 */
public final class ServiceProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final DataSource dataSource;

    private final Environment environment;

    ServiceProbe(DataSource dataSource, Environment environment) {
        this.dataSource = dataSource;
        this.environment = environment;
    }

    /** Versions recorded in Flyway's history table, in the order they were applied. */
    public List<String> appliedMigrations() {
        List<String> versions = new ArrayList<>();
        query("SELECT version FROM flyway_schema_history WHERE success AND type <> 'BASELINE' AND version IS NOT NULL ORDER BY installed_rank",
                null, result -> versions.add(result.getString(1)));
        return versions;
    }

    public boolean tableExists(String table) {
        List<String> found = new ArrayList<>();
        query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?",
                table, result -> found.add(result.getString(1)));
        return !found.isEmpty();
    }

    /** The id of the cluster behind {@code spring.kafka.bootstrap-servers}. */
    public String kafkaClusterId() {
        String bootstrap = environment.getRequiredProperty("spring.kafka.bootstrap-servers");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeCluster().clusterId().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("No Kafka cluster answers at " + bootstrap, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking Kafka at " + bootstrap, ex);
        }
    }

    /** The body of {@code GET /actuator/health} on the service's own HTTP port. */
    public String health() {
        String url = "http://localhost:" + environment.getRequiredProperty("local.server.port") + "/actuator/health";
        try {
            return HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }
        catch (IOException ex) {
            throw new IllegalStateException("GET " + url + " failed", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during GET " + url, ex);
        }
    }

    private void query(String sql, @Nullable String parameter, RowHandler rows) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setString(1, parameter);
            }
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.accept(result);
                }
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Query failed: " + sql, ex);
        }
    }

    @FunctionalInterface
    private interface RowHandler {
        void accept(ResultSet row) throws SQLException;
    }
}
