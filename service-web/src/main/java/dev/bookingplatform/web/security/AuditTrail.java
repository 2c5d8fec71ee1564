package dev.bookingplatform.web.security;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Who changed what, when, with which scopes: every change made with a privileged scope ({@code bookings:admin},
 * {@code catalog:write}, {@code ops}) is written to the service's {@code audit_entry} table, inside the
 * transaction of the change itself, so a change and its record commit or fail together.
 */
public final class AuditTrail {

    private final JdbcClient jdbc;

    public AuditTrail(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param action what was done, e.g. {@code booking.cancel}
     * @param target what it was done to, e.g. the booking id
     * @param detail anything an auditor needs (a reason, the new version); never a secret or an e-mail address
     */
    public void record(Caller caller, String action, String target, @Nullable String detail) {
        jdbc.sql("INSERT INTO audit_entry (subject, scopes, action, target, detail) VALUES (?, ?, ?, ?, ?)")
                .params(caller.subject(), String.join(" ", caller.scopes().stream().sorted().toList()), action, target, detail)
                .update();
    }
}
