package dev.bookingplatform.eventing.autoconfigure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PostgresJdbcUrlTest {

    @Test
    void readsHostPortAndDatabaseIgnoringParameters() {
        assertThat(PostgresJdbcUrl.parse("jdbc:postgresql://db.internal:6543/booking?sslmode=require"))
                .isEqualTo(new PostgresJdbcUrl("db.internal", 6543, "booking"));
    }

    @Test
    void portDefaultsToPostgresDefault() {
        assertThat(PostgresJdbcUrl.parse("jdbc:postgresql://localhost/inventory").port()).isEqualTo(5432);
    }

    @Test
    void nonPostgresUrlIsRefusedNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> PostgresJdbcUrl.parse("jdbc:h2:mem:test"))
                .withMessageContaining("jdbc:h2:mem:test");
    }

    @Test
    void urlWithoutDatabaseIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> PostgresJdbcUrl.parse("jdbc:postgresql://localhost:5432/"))
                .withMessageContaining("No host or database");
    }
}
