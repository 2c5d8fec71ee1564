package dev.bookingplatform.eventing.relay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Reads which leader term published a record ({@link KafkaPublisher#TERM_HEADER}), to see fencing from outside. */
final class LeaderTerms {

    private LeaderTerms() {
    }

    static long of(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(KafkaPublisher.TERM_HEADER);
        return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
    }

    /**
     * Every record, in each partition's order as a {@code read_committed} consumer saw it, that an older term
     * published after a newer term's record had become visible there: what fencing must make impossible.
     */
    static List<String> olderAfterNewer(List<ConsumerRecord<String, byte[]>> records) {
        Map<Integer, Long> newestSeen = new HashMap<>();
        List<String> violations = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            long term = of(record);
            long newest = newestSeen.merge(record.partition(), term, Math::max);
            if (term < newest) {
                violations.add("term " + term + " at partition " + record.partition() + " offset " + record.offset()
                        + ", after term " + newest);
            }
        }
        return violations;
    }
}
