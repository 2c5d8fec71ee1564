package dev.bookingplatform.booking.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.bookingplatform.events.BookingUnitSpec;
import dev.bookingplatform.events.CancellationPolicySpec;
import dev.bookingplatform.events.UnitKind;
import dev.bookingplatform.events.units.BookingRules;

/**
 * booking-service's copy of inventory's catalogue, kept from ResourceChanged events. It lets the API
 * refuse an unknown resource or add-on, or a range that does not cover whole units, at once; capacity and
 * prices stay inventory's alone.
 */
@Repository
public class KnownResources {

    private static final Logger log = LoggerFactory.getLogger(KnownResources.class);

    private final JdbcClient jdbc;

    KnownResources(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<KnownResource> find(String id) {
        return jdbc.sql("SELECT * FROM known_resource WHERE id = ?").param(id).query((rs, row) -> known(rs)).optional();
    }

    /** Stores the announced state unless a newer version is already known (events may be replayed). */
    void remember(String id, String name, List<String> addOnIds, long version, @Nullable BookingUnitSpec unit,
            @Nullable CancellationPolicySpec policy) {
        jdbc.sql("""
                INSERT INTO known_resource (id, name, add_on_ids, version, time_zone, unit_kind, unit_minutes,
                       unit_start_minute, unit_end_minute, min_units, max_units, free_cancellation_cutoff_seconds,
                       late_refund_percent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, add_on_ids = excluded.add_on_ids, version = excluded.version,
                       time_zone = excluded.time_zone, unit_kind = excluded.unit_kind, unit_minutes = excluded.unit_minutes,
                       unit_start_minute = excluded.unit_start_minute, unit_end_minute = excluded.unit_end_minute,
                       min_units = excluded.min_units, max_units = excluded.max_units,
                       free_cancellation_cutoff_seconds = excluded.free_cancellation_cutoff_seconds,
                       late_refund_percent = excluded.late_refund_percent
                WHERE known_resource.version <= excluded.version""")
                .params(id, name, addOnIds.toArray(String[]::new), version, unit == null ? null : unit.getTimeZone(),
                        unit == null ? null : unit.getKind().name(), unit == null ? null : unit.getUnitMinutes(),
                        unit == null ? null : unit.getStartMinuteOfDay(), unit == null ? null : unit.getEndMinuteOfDay(),
                        unit == null ? null : unit.getMinUnits(), unit == null ? null : unit.getMaxUnits(),
                        policy == null ? null : policy.getFreeCutoffSeconds(), policy == null ? null : policy.getLateRefundPercent())
                .update();
    }

    private static KnownResource known(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        Long cutoff = rs.getObject("free_cancellation_cutoff_seconds", Long.class);
        CancellationTerms terms = cutoff == null ? null
                : new CancellationTerms(java.time.Duration.ofSeconds(cutoff), rs.getObject("late_refund_percent", Integer.class));
        return new KnownResource(id, List.of((String[]) rs.getArray("add_on_ids").getArray()), rules(id, rs), terms);
    }

    /** The rules, or null if none were announced or this build cannot read them (a newer unit kind). */
    private static @Nullable BookingRules rules(String id, ResultSet rs) throws SQLException {
        String kind = rs.getString("unit_kind");
        if (kind == null) {
            return null;
        }
        try {
            return BookingRules.of(new BookingUnitSpec(rs.getString("time_zone"), UnitKind.valueOf(kind), rs.getInt("unit_minutes"),
                    rs.getInt("unit_start_minute"), rs.getInt("unit_end_minute"), rs.getInt("min_units"), rs.getInt("max_units")));
        }
        catch (IllegalArgumentException | java.time.DateTimeException unreadable) {
            log.warn("Booking rules of resource {} cannot be read by this build: {}", id, unreadable.getMessage());
            return null;
        }
    }

    /**
     * A resource as booking-service knows it; without rules it cannot be booked yet, without cancellation
     * terms (announced before ResourceChanged v3) the configured default terms apply.
     */
    public record KnownResource(String id, List<String> addOnIds, @Nullable BookingRules rules,
            @Nullable CancellationTerms cancellationTerms) {
    }

    /**
     * When a confirmed booking may be cancelled: in full until {@code freeCutoff} before its slot, then for
     * {@code lateRefundPercent} of the price until the slot starts (null: not at all after the cut-off).
     */
    public record CancellationTerms(java.time.Duration freeCutoff, @Nullable Integer lateRefundPercent) {
    }
}
