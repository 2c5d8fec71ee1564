package dev.bookingplatform.eventing.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.avro.generic.IndexedRecord;

import dev.bookingplatform.events.booking.BookingRequested;
import dev.bookingplatform.events.registry.RestSchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistrySettings;
import dev.bookingplatform.events.serde.AvroEventDeserializer;

/** Decodes received test events into the sequence numbers per aggregate, in arrival order. */
public final class Sequences {

    private Sequences() {
    }

    /** The distinct {@code eventId} headers received: each event counted once, however often it was delivered. */
    public static Set<String> distinctEventIds(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> ids = new HashSet<>();
        records.forEach(record -> ids.add(new String(record.headers().lastHeader("eventId").value(), StandardCharsets.UTF_8)));
        return ids;
    }

    public static Map<String, List<Integer>> byAggregate(List<ConsumerRecord<String, byte[]>> records, String registryUrl) {
        AvroEventDeserializer deserializer = new AvroEventDeserializer(
                new RestSchemaRegistryClient(SchemaRegistrySettings.of(registryUrl)));
        Map<String, List<Integer>> sequences = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            IndexedRecord event = deserializer.deserialize(record.topic(), record.value());
            sequences.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(((BookingRequested) event).getQuantity());
        }
        return sequences;
    }

    /** Whether each of {@code keys} has received its sequence up to {@code last} (re-deliveries not counted). */
    public static boolean everyKeyReached(List<ConsumerRecord<String, byte[]>> records, String registryUrl, int keys,
            int last) {
        Map<String, List<Integer>> sequences = byAggregate(records, registryUrl);
        return sequences.size() == keys
                && sequences.values().stream().allMatch(sequence -> sequence.stream().anyMatch(number -> number == last));
    }

    /** 1..n in order, with any re-delivered run (at-least-once) collapsed: order must still never go back. */
    public static List<Integer> withoutRedeliveries(List<Integer> received) {
        List<Integer> distinct = new ArrayList<>();
        int highest = 0;
        for (int sequence : received) {
            if (sequence > highest) {
                distinct.add(sequence);
                highest = sequence;
            }
        }
        return distinct;
    }
}
