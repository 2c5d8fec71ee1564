package dev.bookingplatform.eventing.consumer;

import org.apache.avro.generic.IndexedRecord;

/**
 * A consumed record's value: the decoded event, and the exact bytes it came in, which are what a dead
 * letter must carry.
 */
public record ReceivedEvent(byte[] raw, IndexedRecord event) {
}
