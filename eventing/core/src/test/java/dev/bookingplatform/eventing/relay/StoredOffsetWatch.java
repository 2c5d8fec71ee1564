package dev.bookingplatform.eventing.relay;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.bookingplatform.eventing.support.OutboxFixture;

/** Samples the stored offset's highest LSN every 20 ms and remembers any step backwards (a zombie's late write). */
final class StoredOffsetWatch {

    private static final Pattern LSN = Pattern.compile("\"lsn\"\\s*:\\s*(\\d+)");

    private final List<String> backwards = new ArrayList<>();

    private final AtomicLong samples = new AtomicLong();

    private volatile boolean running = true;

    private final Thread thread;

    StoredOffsetWatch(OutboxFixture outbox) {
        thread = new Thread(() -> {
            BigDecimal last = null;
            while (running) {
                BigDecimal lsn = highestLsn(outbox);
                if (lsn != null) {
                    samples.incrementAndGet();
                    if (last != null && lsn.compareTo(last) < 0) {
                        synchronized (backwards) {
                            backwards.add(last + " -> " + lsn);
                        }
                    }
                    last = lsn;
                }
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }, "offset-watch");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }

    List<String> wentBackwards() {
        synchronized (backwards) {
            return List.copyOf(backwards);
        }
    }

    long samples() {
        return samples.get();
    }

    private static @Nullable BigDecimal highestLsn(OutboxFixture outbox) {
        try (Connection connection = outbox.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT offset_value FROM relay_offset");
                ResultSet row = select.executeQuery()) {
            BigDecimal highest = null;
            while (row.next()) {
                Matcher matcher = LSN.matcher(new String(row.getBytes(1), StandardCharsets.UTF_8));
                if (matcher.find()) {
                    BigDecimal lsn = new BigDecimal(matcher.group(1));
                    highest = highest == null || lsn.compareTo(highest) > 0 ? lsn : highest;
                }
            }
            return highest;
        }
        catch (Exception ex) {
            // the database busy or restarting: this sample is skipped, the next one counts
            return null;
        }
    }
}
