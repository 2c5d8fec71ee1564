package dev.bookingplatform.inventory.resource;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Resources, their add-ons and their slot usage in inventory-service's database. */
@Repository
public class ResourceRepository {

    private final JdbcClient jdbc;

    ResourceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Resource> find(String id) {
        return jdbc.sql("SELECT * FROM resource WHERE id = ?").param(id)
                .query((rs, row) -> new Resource(rs.getString("id"), rs.getString("name"), rs.getInt("capacity_per_slot"),
                        rs.getLong("unit_price_minor"), rs.getString("currency"), rs.getInt("hold_duration_seconds"),
                        addOns(id), rs.getLong("version")))
                .optional();
    }

    public List<String> ids() {
        return jdbc.sql("SELECT id FROM resource ORDER BY id").query(String.class).list();
    }

    /** Inserts a new resource; false if one with this id already exists. */
    public boolean insert(Resource resource) {
        int inserted = jdbc.sql("""
                INSERT INTO resource (id, name, capacity_per_slot, unit_price_minor, currency, hold_duration_seconds, version)
                VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT (id) DO NOTHING""")
                .params(resource.id(), resource.name(), resource.capacityPerSlot(), resource.unitPriceMinor(),
                        resource.currency(), resource.holdDurationSeconds())
                .update();
        if (inserted == 1) {
            replaceAddOns(resource);
        }
        return inserted == 1;
    }

    /** Updates the resource if it is still at {@code expectedVersion}; false if someone else got there first. */
    public boolean update(Resource resource, long expectedVersion) {
        int updated = jdbc.sql("""
                UPDATE resource SET name = ?, capacity_per_slot = ?, unit_price_minor = ?, currency = ?,
                       hold_duration_seconds = ?, version = version + 1
                WHERE id = ? AND version = ?""")
                .params(resource.name(), resource.capacityPerSlot(), resource.unitPriceMinor(), resource.currency(),
                        resource.holdDurationSeconds(), resource.id(), expectedVersion)
                .update();
        if (updated == 1) {
            replaceAddOns(resource);
        }
        return updated == 1;
    }

    /** Units taken per slot starting in [from, to). Slots not listed have nothing taken. */
    public List<SlotUsage> usage(String resourceId, Instant from, Instant to) {
        return jdbc.sql("""
                SELECT slot_start, taken FROM slot_usage
                WHERE resource_id = ? AND slot_start >= ? AND slot_start < ? ORDER BY slot_start""")
                .params(resourceId, java.sql.Timestamp.from(from), java.sql.Timestamp.from(to))
                .query((rs, row) -> new SlotUsage(rs.getTimestamp("slot_start").toInstant(), rs.getInt("taken")))
                .list();
    }

    private List<AddOn> addOns(String resourceId) {
        return jdbc.sql("SELECT id, name, unit_price_minor FROM add_on WHERE resource_id = ? ORDER BY id").param(resourceId)
                .query((rs, row) -> new AddOn(rs.getString("id"), rs.getString("name"), rs.getLong("unit_price_minor")))
                .list();
    }

    private void replaceAddOns(Resource resource) {
        jdbc.sql("DELETE FROM add_on WHERE resource_id = ?").param(resource.id()).update();
        for (AddOn addOn : resource.addOns()) {
            jdbc.sql("INSERT INTO add_on (resource_id, id, name, unit_price_minor) VALUES (?, ?, ?, ?)")
                    .params(resource.id(), addOn.id(), addOn.name(), addOn.unitPriceMinor()).update();
        }
    }

    public record SlotUsage(Instant slotStart, int taken) {
    }
}
