package dev.bookingplatform.eventing.deadletter;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.RetryListener;

/**
 * One line per failed delivery of a record, in its correlation scope (the error handler opens it): what ops grep for
 * when a partition stands still, before anything reaches a dead-letter topic.
 */
final class FailedDeliveryLog implements RetryListener {

    private static final Logger log = LoggerFactory.getLogger(FailedDeliveryLog.class);

    @Override
    public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
        log.warn("{} {} from {}-{}@{} failed delivery {}: {}", header(record, "eventType"), header(record, "eventId"),
                record.topic(), record.partition(), record.offset(), deliveryAttempt,
                DeadLetterErrorHandler.rootFailure(ex).toString());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
