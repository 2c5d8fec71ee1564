package dev.bookingplatform.events.serde;

import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Since 1.12.1 Avro loads a class named by a schema only if it is trusted. Trust exactly our generated
 * event records and enums, on top of whatever the application already trusts.
 */
final class TrustedEventClasses {

    private static final String EVENTS_PACKAGE = "dev.bookingplatform.events";

    private static boolean installed;

    private TrustedEventClasses() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityPredicate ours = type -> isInEventsPackage(type)
                && (SpecificRecord.class.isAssignableFrom(type) || GenericEnumSymbol.class.isAssignableFrom(type));
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours));
        installed = true;
    }

    private static boolean isInEventsPackage(Class<?> type) {
        String packageName = type.getPackageName();
        return packageName.equals(EVENTS_PACKAGE) || packageName.startsWith(EVENTS_PACKAGE + ".");
    }
}
