package dev.bookingplatform.testsupport.junit;

import org.awaitility.Awaitility;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes every Awaitility wait in a test JVM judge only its own condition. By default, while a wait runs, Awaitility
 * installs a JVM-wide handler that fails it on any exception any thread leaves uncaught; here tests run in two lanes
 * and processes die mid-conversation by design, so an unrelated thread's end (GreenMail's handler of an SMTP
 * session cut by a SIGKILL, which failed a 30-kill chaos run on 2026-12-07) would fail whichever wait was running.
 * Registered for the JUnit Platform launcher through {@code META-INF/services}, so every module using test support
 * gets it.
 */
public final class AwaitilityLeavesOtherThreadsAlone implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            Awaitility.doNotCatchUncaughtExceptionsByDefault();
        }
        catch (LinkageError noAwaitilityInThisModule) {
            // nothing to configure
        }
    }
}
