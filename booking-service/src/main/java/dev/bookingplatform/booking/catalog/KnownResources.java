package dev.bookingplatform.booking.catalog;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * booking-service's copy of inventory's catalogue, kept from ResourceChanged events. It lets the API
 * refuse an unknown resource or add-on at once; capacity and prices stay inventory's alone.
 */
@Repository
public class KnownResources {

    private final JdbcClient jdbc;

    KnownResources(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<KnownResource> find(String id) {
        return jdbc.sql("SELECT id, add_on_ids FROM known_resource WHERE id = ?").param(id)
                .query((rs, row) -> new KnownResource(rs.getString("id"),
                        List.of((String[]) rs.getArray("add_on_ids").getArray())))
                .optional();
    }

    /** Stores the announced state unless a newer version is already known (events may be replayed). */
    void remember(String id, String name, List<String> addOnIds, long version) {
        jdbc.sql("""
                INSERT INTO known_resource (id, name, add_on_ids, version) VALUES (?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, add_on_ids = excluded.add_on_ids, version = excluded.version
                WHERE known_resource.version <= excluded.version""")
                .params(id, name, addOnIds.toArray(String[]::new), version).update();
    }

    public record KnownResource(String id, List<String> addOnIds) {
    }
}
