package dev.bookingplatform.eventing.retention;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * "Rows of {@code table} whose {@code age} is older than {@code period} are deleted", or, with {@code mask}, have
 * that {@code SET} clause applied instead (personal data masked, the row kept). A service declares its own as
 * beans; the eventing library brings those of its tables. Table, expressions and clause are code, never input.
 *
 * @param name names the rule in logs and the {@code eventing.retention.rows} metric
 * @param age the column (or expression) holding the row's time
 * @param condition which rows the rule may touch at all (e.g. only resolved ones); null for all
 * @param mask a {@code SET} clause; null to delete. Its {@code condition} must exclude rows already masked.
 */
public record RetentionRule(String name, String table, String age, Duration period, @Nullable String condition,
        @Nullable String mask) {

    public RetentionRule {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("Retention of " + name + " must be positive, not " + period);
        }
    }

    public static RetentionRule delete(String name, String table, String age, Duration period, @Nullable String condition) {
        return new RetentionRule(name, table, age, period, condition, null);
    }

    public static RetentionRule mask(String name, String table, String age, Duration period, String condition, String set) {
        return new RetentionRule(name, table, age, period, condition, set);
    }

    String sql() {
        String rows = "SELECT ctid FROM " + table + " WHERE " + age + " < ?" + (condition == null ? "" : " AND (" + condition + ")")
                + " LIMIT ? FOR UPDATE SKIP LOCKED";
        return mask == null ? "DELETE FROM " + table + " WHERE ctid IN (" + rows + ")"
                : "UPDATE " + table + " SET " + mask + " WHERE ctid IN (" + rows + ")";
    }
}
