package dev.bookingplatform.system;

/**
 * The scenarios that start everything of their own (a local stack, a system with a JVM of its own) run beside the
 * ones on the shared system, but never beside each other: each holds this lock. A class holding a lock also runs
 * its own methods one after another in its thread (JUnit forces that below a lock), so PaymentCrashIT's two kills
 * never share its payment JVM.
 */
public final class TheSecondLane {

    public static final String LOCK = "the-second-lane";

    private TheSecondLane() {
    }
}
