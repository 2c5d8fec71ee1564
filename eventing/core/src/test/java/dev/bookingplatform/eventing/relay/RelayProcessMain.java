package dev.bookingplatform.eventing.relay;

import java.util.concurrent.CountDownLatch;

/** Runs one relay in a separate JVM so a test can kill it with SIGKILL: no shutdown hook, no clean stop. */
public final class RelayProcessMain {

    private RelayProcessMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // A test JVM that dies without killing this one (a fork Surefire halts) must not leave a relay behind.
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
        OutboxRelay relay = new OutboxRelay(RelaySettings.of(args[0], Integer.parseInt(args[1]), args[2], args[3],
                args.length > 5 ? args[5] : "", args[4]));
        relay.start();
        System.out.println("relay started");
        new CountDownLatch(1).await();
    }
}
