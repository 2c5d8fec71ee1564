package dev.bookingplatform.inventory.resource;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static java.util.Map.entry;

/** Resources and their add-ons in inventory-service's database. */
@Repository
public class ResourceRepository {

    private final JdbcClient jdbc;

    ResourceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Resource> find(String id) {
        return find(id, "");
    }

    /**
     * The resource, share-locked until the caller's transaction ends: a reservation reads capacity and
     * prices that no edit can change under it, and every reservation takes this lock before any unit's.
     */
    public Optional<Resource> findForBooking(String id) {
        return find(id, " FOR SHARE");
    }

    /** The resource, locked for an edit: in-flight reservations finish first, new ones wait for the edit. */
    Optional<Resource> findForUpdate(String id) {
        return find(id, " FOR UPDATE");
    }

    public List<String> ids() {
        return jdbc.sql("SELECT id FROM resource ORDER BY id").query(String.class).list();
    }

    /** Inserts a new resource; false if one with this id already exists. */
    public boolean insert(Resource resource) {
        int inserted = jdbc.sql("""
                INSERT INTO resource (id, name, capacity_per_unit, unit_price_minor, currency, hold_duration_seconds,
                       time_zone, unit_kind, unit_minutes, unit_start_minute, unit_end_minute, min_units, max_units, version,
                       free_cancellation_cutoff_seconds, late_refund_percent)
                VALUES (:id, :name, :capacity, :price, :currency, :hold, :zone, :kind, :minutes, :startMinute, :endMinute,
                       :minUnits, :maxUnits, 0, :freeCutoff, :lateRefund)
                ON CONFLICT (id) DO NOTHING""")
                .params(columns(resource)).update();
        if (inserted == 1) {
            replaceAddOns(resource);
        }
        return inserted == 1;
    }

    /** Updates the resource if it is still at {@code expectedVersion}; false if someone else got there first. */
    public boolean update(Resource resource, long expectedVersion) {
        int updated = jdbc.sql("""
                UPDATE resource SET name = :name, capacity_per_unit = :capacity, unit_price_minor = :price,
                       currency = :currency, hold_duration_seconds = :hold, time_zone = :zone, unit_kind = :kind,
                       unit_minutes = :minutes, unit_start_minute = :startMinute, unit_end_minute = :endMinute,
                       min_units = :minUnits, max_units = :maxUnits, free_cancellation_cutoff_seconds = :freeCutoff,
                       late_refund_percent = :lateRefund, version = version + 1
                WHERE id = :id AND version = :expected""")
                .params(columns(resource)).param("expected", expectedVersion).update();
        if (updated == 1) {
            replaceAddOns(resource);
        }
        return updated == 1;
    }

    private Optional<Resource> find(String id, String lock) {
        return jdbc.sql("SELECT * FROM resource WHERE id = ?" + lock).param(id).query((rs, row) -> resource(rs)).optional();
    }

    private Resource resource(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        BookingUnitDefinition.Kind kind = BookingUnitDefinition.Kind.valueOf(rs.getString("unit_kind"));
        BookingUnitDefinition unit = kind == BookingUnitDefinition.Kind.MINUTES
                ? BookingUnitDefinition.minutes(rs.getInt("unit_minutes"), rs.getInt("unit_start_minute"))
                : new BookingUnitDefinition(kind, null, null, time(rs.getInt("unit_start_minute")), time(rs.getInt("unit_end_minute")));
        return new Resource(id, rs.getString("name"), rs.getInt("capacity_per_unit"), rs.getLong("unit_price_minor"),
                rs.getString("currency"), rs.getInt("hold_duration_seconds"), rs.getString("time_zone"), unit,
                rs.getInt("min_units"), rs.getInt("max_units"), addOns(id), rs.getLong("version"),
                new CancellationTerms(rs.getLong("free_cancellation_cutoff_seconds"), rs.getObject("late_refund_percent", Integer.class)));
    }

    private static Map<String, Object> columns(Resource resource) {
        BookingUnitDefinition unit = resource.unit();
        boolean minutes = unit.kind() == BookingUnitDefinition.Kind.MINUTES;
        Map<String, Object> columns = new java.util.HashMap<>(Map.ofEntries(entry("id", resource.id()), entry("name", resource.name()),
                entry("capacity", resource.capacityPerUnit()), entry("price", resource.unitPriceMinor()),
                entry("currency", resource.currency()), entry("hold", resource.holdDurationSeconds()),
                entry("zone", resource.timeZone()), entry("kind", unit.kind().name()),
                entry("minutes", minutes ? unit.minutes() : 0),
                entry("startMinute", minutes ? orZero(unit.alignmentMinutes()) : minuteOfDay(unit.start())),
                entry("endMinute", minutes ? 0 : minuteOfDay(unit.end())),
                entry("minUnits", resource.minUnits()), entry("maxUnits", resource.maxUnits()),
                entry("freeCutoff", resource.cancellation().freeCutoffSeconds())));
        columns.put("lateRefund", resource.cancellation().lateRefundPercent());
        return columns;
    }

    private List<AddOn> addOns(String resourceId) {
        return jdbc.sql("SELECT id, name, unit_price_minor, pricing FROM add_on WHERE resource_id = ? ORDER BY id").param(resourceId)
                .query((rs, row) -> new AddOn(rs.getString("id"), rs.getString("name"), rs.getLong("unit_price_minor"),
                        AddOn.Pricing.valueOf(rs.getString("pricing"))))
                .list();
    }

    private void replaceAddOns(Resource resource) {
        jdbc.sql("DELETE FROM add_on WHERE resource_id = ?").param(resource.id()).update();
        for (AddOn addOn : resource.addOns()) {
            jdbc.sql("INSERT INTO add_on (resource_id, id, name, unit_price_minor, pricing) VALUES (?, ?, ?, ?, ?)")
                    .params(resource.id(), addOn.id(), addOn.name(), addOn.unitPriceMinor(), addOn.pricing().name()).update();
        }
    }

    private static LocalTime time(int minuteOfDay) {
        return LocalTime.MIDNIGHT.plusMinutes(minuteOfDay);
    }

    private static int minuteOfDay(@Nullable LocalTime time) {
        return time == null ? 0 : time.getHour() * 60 + time.getMinute();
    }

    private static int orZero(@Nullable Integer value) {
        return value == null ? 0 : value;
    }
}
