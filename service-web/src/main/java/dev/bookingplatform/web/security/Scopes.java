package dev.bookingplatform.web.security;

/** The scopes a token may carry, and the authorities Spring Security derives from them. */
public final class Scopes {

    /** A customer creates and cancels their own bookings. */
    public static final String BOOKINGS_WRITE = "bookings:write";

    /** A customer reads and lists their own bookings. */
    public static final String BOOKINGS_READ = "bookings:read";

    /** The gateway acting for support: any booking. Audited. */
    public static final String BOOKINGS_ADMIN = "bookings:admin";

    /** Resource edits (prices, capacity, rules). Audited. */
    public static final String CATALOG_WRITE = "catalog:write";

    /** Ops endpoints and actuator beyond health. */
    public static final String OPS = "ops";

    private Scopes() {
    }

    /** The authority Spring Security's JWT converter grants for {@code scope}. */
    public static String authority(String scope) {
        return "SCOPE_" + scope;
    }

    public static String[] authorities(String... scopes) {
        String[] authorities = new String[scopes.length];
        for (int i = 0; i < scopes.length; i++) {
            authorities[i] = authority(scopes[i]);
        }
        return authorities;
    }
}
