package dev.bookingplatform.eventing.retention;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Applies every {@link RetentionRule} once, batch after batch until a rule has nothing left. Each batch is one
 * statement, so a crash loses nothing but the batch in flight; {@code SKIP LOCKED} lets several replicas run at
 * the same moment, each taking rows the others have not.
 */
public final class RetentionPurge {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);

    private final JdbcTemplate jdbc;

    private final List<RetentionRule> rules;

    private final Clock clock;

    private final int batchSize;

    private final Map<String, AtomicLong> totals = new ConcurrentHashMap<>();

    private final BiConsumer<RetentionRule, Integer> counted;

    public RetentionPurge(DataSource dataSource, List<RetentionRule> rules, Clock clock, int batchSize,
            BiConsumer<RetentionRule, Integer> counted) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.rules = List.copyOf(rules);
        this.clock = clock;
        this.batchSize = batchSize;
        this.counted = counted;
    }

    /** @return rows deleted or masked in this run, by rule */
    public Map<String, Integer> run() {
        Map<String, Integer> run = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (RetentionRule rule : rules) {
            Timestamp cutoff = Timestamp.from(now.minus(rule.period()));
            int total = 0;
            int touched;
            do {
                touched = jdbc.update(rule.sql(), cutoff, batchSize);
                total += touched;
            }
            while (touched == batchSize);
            run.put(rule.name(), total);
            if (total > 0) {
                totals.computeIfAbsent(rule.name(), name -> new AtomicLong()).addAndGet(total);
                counted.accept(rule, total);
                log.info("Retention: {} {} rows of {} older than {} ({})", rule.mask() == null ? "deleted" : "masked", total,
                        rule.table(), rule.period(), rule.name());
            }
        }
        return run;
    }

    /** Rows touched since start, by rule. */
    public Map<String, Long> totals() {
        Map<String, Long> copy = new LinkedHashMap<>();
        totals.forEach((name, total) -> copy.put(name, total.get()));
        return copy;
    }

    public List<RetentionRule> rules() {
        return rules;
    }
}
