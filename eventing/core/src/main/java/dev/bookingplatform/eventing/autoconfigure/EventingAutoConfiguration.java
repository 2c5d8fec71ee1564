package dev.bookingplatform.eventing.autoconfigure;

import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.eventing.consumer.EventConsumer;
import dev.bookingplatform.eventing.consumer.EventConsumerSettings;
import dev.bookingplatform.eventing.consumer.HandlerRegistration;
import dev.bookingplatform.eventing.consumer.IdempotentEventDispatcher;
import dev.bookingplatform.eventing.correlation.CorrelationIdFilter;
import dev.bookingplatform.eventing.consumer.ReceivedEventDeserializer;
import dev.bookingplatform.eventing.correlation.EventMetadataFactory;
import dev.bookingplatform.eventing.deadletter.DeadLetterIndex;
import dev.bookingplatform.eventing.deadletter.DeadLetterReplayer;
import dev.bookingplatform.eventing.deadletter.DeadLetterStore;
import dev.bookingplatform.eventing.inbox.InboxGuard;
import dev.bookingplatform.eventing.metrics.EventingMeters;
import dev.bookingplatform.eventing.outbox.OutboxWriter;
import dev.bookingplatform.eventing.outbox.SchemaPreregistration;
import dev.bookingplatform.eventing.erasure.PersonalDataEraser;
import dev.bookingplatform.eventing.erasure.PersonalDataErasure;
import dev.bookingplatform.eventing.relay.OutboxRelay;
import dev.bookingplatform.eventing.retention.RetentionPurge;
import dev.bookingplatform.eventing.retention.RetentionRule;
import dev.bookingplatform.eventing.relay.RelaySettings;
import dev.bookingplatform.eventing.schema.EventingSchema;
import dev.bookingplatform.eventing.timeline.EventingTimeline;
import dev.bookingplatform.eventing.timeline.TimelineSource;
import dev.bookingplatform.events.booking.CustomerDataErased;
import dev.bookingplatform.events.registry.RestSchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistrySettings;
import dev.bookingplatform.events.serde.AvroEventDeserializer;
import dev.bookingplatform.events.serde.AvroEventSerializer;

/**
 * Everything a service needs to write and consume events: declare {@link HandlerRegistration} beans,
 * inject {@link OutboxWriter} and {@link EventMetadataFactory}; the relay, the consumer, the inbox, the
 * eventing tables, dead letters and the relay's health come with it.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration" })
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties({ EventingProperties.class, SchemaRegistryProperties.class })
public class EventingAutoConfiguration {

    @Bean
    EventingSchemaMigration eventingSchemaMigration(DataSource dataSource, EventingProperties properties, Environment environment,
            ObjectProvider<KafkaClientProperties> kafka) {
        return new EventingSchemaMigration(dataSource, relaySettings(properties, environment, kafkaClients(kafka, environment)));
    }

    private static KafkaClientProperties kafkaClients(ObjectProvider<KafkaClientProperties> kafka, Environment environment) {
        return kafka.getIfAvailable(() -> KafkaClientProperties.bootstrapOnly(
                environment.getRequiredProperty("spring.kafka.bootstrap-servers")));
    }

    @Bean
    SchemaRegistryClient schemaRegistryClient(SchemaRegistryProperties registry) {
        return new RestSchemaRegistryClient(new SchemaRegistrySettings(java.net.URI.create(registry.url()),
                registry.connectTimeout(), registry.requestTimeout()));
    }

    @Bean
    OutboxWriter outboxWriter(DataSource dataSource, SchemaRegistryClient registry, EventingSchemaMigration schema,
            EventingProperties properties) {
        return new OutboxWriter(dataSource, new AvroEventSerializer(registry), properties.outbox().maxEventBytes());
    }

    /** Registers the catalogue's schemas at start, so no first event of a type waits on the registry mid-transaction. */
    @Bean
    SchemaPreregistration schemaPreregistration(SchemaRegistryClient registry) {
        return new SchemaPreregistration(registry, java.time.Duration.ofSeconds(5));
    }

    @Bean
    InboxGuard inboxGuard(DataSource dataSource, EventingSchemaMigration schema) {
        return new InboxGuard(dataSource);
    }

    /**
     * The one clock a service reads for business time (hold expiry, saga deadlines, session expiry). A test
     * that starts the system registers its own, movable one, so time can pass a deadline without waiting.
     */
    @Bean
    @ConditionalOnMissingBean(Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    EventMetadataFactory eventMetadataFactory(Environment environment, Clock clock) {
        return new EventMetadataFactory(environment.getProperty("spring.application.name", "unnamed-service"), clock);
    }

    @Bean
    @ConditionalOnProperty(name = "bookingplatform.eventing.relay.enabled", matchIfMissing = true)
    OutboxRelayLifecycle outboxRelay(EventingProperties properties, Environment environment, EventingSchemaMigration schema,
            ObjectProvider<KafkaClientProperties> kafka, EventingMeters meters) {
        return new OutboxRelayLifecycle(relaySettings(properties, environment, kafkaClients(kafka, environment)), meters);
    }

    /** The service's meter registry (Spring Boot's, scraped at {@code /actuator/prometheus}), or none. */
    @Bean
    EventingMeters eventingMeters(ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry) {
        io.micrometer.core.instrument.MeterRegistry meters = registry.getIfUnique();
        return meters == null ? EventingMeters.none() : new EventingMeters(meters);
    }

    private static RelaySettings relaySettings(EventingProperties properties, Environment environment, KafkaClientProperties kafka) {
        String jdbcUrl = environment.getRequiredProperty("spring.datasource.url");
        PostgresJdbcUrl url = PostgresJdbcUrl.parse(jdbcUrl);
        EventingProperties.Relay relay = properties.relay();
        boolean ownUser = relay.username() != null && !relay.username().isBlank();
        RelaySettings defaults = RelaySettings.of(url.host(), url.port(), url.database(),
                ownUser ? relay.username() : environment.getRequiredProperty("spring.datasource.username"),
                ownUser ? (relay.password() != null ? relay.password() : "") : environment.getProperty("spring.datasource.password", ""),
                environment.getRequiredProperty("spring.kafka.bootstrap-servers"));
        return defaults.withTuning(relay.slotName() != null ? relay.slotName() : defaults.slotName(), relay.pollInterval(),
                relay.heartbeatInterval(), relay.leaderCheckInterval(), relay.restartBackoff())
                .withClients(jdbcUrl, kafka.producer()).withOffsetFlushInterval(relay.offsetFlushInterval())
                .withStepDownAfter(relay.stepDownAfter());
    }

    /** The library's tables' retention, and every {@link RetentionRule} bean of the service. */
    @Bean
    @ConditionalOnProperty(name = "bookingplatform.eventing.retention.enabled", matchIfMissing = true)
    RetentionPurge retentionPurge(DataSource dataSource, EventingSchemaMigration schema, EventingProperties properties,
            ObjectProvider<RetentionRule> serviceRules, Clock clock,
            ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        EventingProperties.Retention retention = properties.retention();
        List<RetentionRule> rules = new java.util.ArrayList<>(List.of(
                RetentionRule.delete("outbox", "outbox_event", "recorded_at", retention.outbox(), null),
                RetentionRule.delete("inbox", "processed_event", "processed_at", retention.inbox(), null),
                RetentionRule.delete("resolved-dead-letters", "dead_letter", "resolved_at", retention.resolvedDeadLetters(),
                        "resolved_at IS NOT NULL")));
        serviceRules.orderedStream().forEach(rules::add);
        io.micrometer.core.instrument.MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            // At zero from the start, so a dashboard and an alert see each rule before its first purge.
            rules.forEach(rule -> registry.counter("eventing.retention.rows", "rule", rule.name()));
        }
        return new RetentionPurge(dataSource, rules, clock, retention.batchSize(), (rule, count) -> {
            if (registry != null) {
                registry.counter("eventing.retention.rows", "rule", rule.name()).increment(count);
            }
        });
    }

    @Bean
    @ConditionalOnProperty(name = "bookingplatform.eventing.retention.enabled", matchIfMissing = true)
    PeriodicJob retentionJob(RetentionPurge purge, EventingProperties properties) {
        return new PeriodicJob("retention-purge", properties.retention().interval(), purge::run);
    }

    /** Releases parked records whose release after their dead letter was cut short (a crash, an error). */
    @Bean
    @ConditionalOnBean(HandlerRegistration.class)
    PeriodicJob strandedParkingSweep(DeadLetterReplayer replayer) {
        return new PeriodicJob("stranded-parking-sweep", java.time.Duration.ofMinutes(1), replayer::releaseStranded);
    }

    @Bean
    PersonalDataErasure personalDataErasure(DataSource dataSource, EventingSchemaMigration schema,
            ObjectProvider<PersonalDataEraser> erasers) {
        return new PersonalDataErasure(dataSource, erasers.orderedStream().toList());
    }

    /**
     * Every service but the one that erases first (booking-service, in the request) learns of an erasure from
     * {@code CustomerDataErased} and erases its own copies.
     */
    @Bean
    @ConditionalOnProperty(name = "bookingplatform.eventing.erasure.consume", matchIfMissing = true)
    HandlerRegistration<CustomerDataErased> customerDataErasedHandler(PersonalDataErasure erasure) {
        return HandlerRegistration.on(CustomerDataErased.class, erasure::onErased);
    }

    @Bean
    DeadLetterIndex deadLetterIndex(DataSource dataSource, EventingSchemaMigration schema) {
        return new DeadLetterIndex(dataSource);
    }

    @Bean
    DeadLetterStore deadLetterStore(DataSource dataSource, EventingSchemaMigration schema) {
        return new DeadLetterStore(dataSource);
    }

    @Bean
    @ConditionalOnBean(HandlerRegistration.class)
    IdempotentEventDispatcher idempotentEventDispatcher(ObjectProvider<HandlerRegistration<?>> registrations,
            DataSource dataSource, ObjectProvider<PlatformTransactionManager> transactionManager, InboxGuard inbox,
            DeadLetterIndex deadLetters, EventingProperties properties, Environment environment, EventingMeters meters) {
        return new IdempotentEventDispatcher(consumerGroup(properties, environment), registrations.orderedStream().toList(),
                inbox, deadLetters, transactions(dataSource, transactionManager), meters);
    }

    @Bean
    @ConditionalOnBean(HandlerRegistration.class)
    DeadLetterReplayer deadLetterReplayer(DeadLetterStore store, DeadLetterIndex index, IdempotentEventDispatcher dispatcher,
            SchemaRegistryClient registry, DataSource dataSource, ObjectProvider<PlatformTransactionManager> transactionManager) {
        return new DeadLetterReplayer(store, index, dispatcher, new ReceivedEventDeserializer(registry),
                transactions(dataSource, transactionManager));
    }

    @Bean
    @ConditionalOnBean(HandlerRegistration.class)
    EventConsumerLifecycle eventConsumer(ObjectProvider<HandlerRegistration<?>> registrations, IdempotentEventDispatcher dispatcher,
            SchemaRegistryClient registry, EventingProperties properties, Environment environment,
            ObjectProvider<KafkaClientProperties> kafka, Clock clock) {
        List<HandlerRegistration<?>> handlers = registrations.orderedStream().toList();
        EventConsumerSettings settings = new EventConsumerSettings(environment.getRequiredProperty("spring.kafka.bootstrap-servers"),
                dispatcher.consumerGroup(), properties.consumer().concurrency(), properties.consumer().autoOffsetReset(),
                kafkaClients(kafka, environment).consumer(), kafkaClients(kafka, environment).producer(),
                properties.consumer().retry().policy());
        return new EventConsumerLifecycle(new EventConsumer(settings, handlers, dispatcher, registry, clock));
    }

    private static String consumerGroup(EventingProperties properties, Environment environment) {
        return properties.consumerGroup() != null ? properties.consumerGroup()
                : environment.getRequiredProperty("spring.application.name");
    }

    private static TransactionTemplate transactions(DataSource dataSource,
            ObjectProvider<PlatformTransactionManager> transactionManager) {
        return new TransactionTemplate(transactionManager.getIfAvailable(() -> new DataSourceTransactionManager(dataSource)));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnProperty(name = "bookingplatform.eventing.relay.enabled", matchIfMissing = true)
    static class RelayHealthConfiguration {

        @Bean
        RelayHealthIndicator outboxRelayHealthIndicator(OutboxRelayLifecycle relay, EventingProperties properties) {
            return new RelayHealthIndicator(relay, properties.relay().stallTimeout());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnBean(HandlerRegistration.class)
    static class ConsumerHealthConfiguration {

        @Bean
        ConsumerHealthIndicator eventConsumerHealthIndicator(EventConsumerLifecycle consumer, EventingProperties properties) {
            return new ConsumerHealthIndicator(consumer, properties.consumer().stuckAfter());
        }
    }

    /** Stuck partitions and the relay's state as metrics, where the service has Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class EventingMetricsConfiguration {

        @Bean
        EventingMetrics eventingMetrics(ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry,
                ObjectProvider<EventConsumerLifecycle> consumer, ObjectProvider<OutboxRelayLifecycle> relay,
                EventingProperties properties, ObjectProvider<DataSource> dataSource) {
            return new EventingMetrics(registry, consumer, relay, properties, dataSource);
        }
    }

    /**
     * Every {@code spring.kafka.*} client setting, taken from the producer and consumer factories Spring Boot
     * configured (where the service has its Kafka support), so connection details and SSL bundles come too.
     */
    @Configuration(proxyBeanMethods = false)
    static class SpringKafkaClientConfiguration {

        @Bean
        KafkaClientProperties eventingKafkaClientProperties(
                ObjectProvider<org.springframework.kafka.core.ProducerFactory<?, ?>> producers,
                ObjectProvider<org.springframework.kafka.core.ConsumerFactory<?, ?>> consumers, Environment environment) {
            String bootstrap = environment.getRequiredProperty("spring.kafka.bootstrap-servers");
            var producer = producers.getIfUnique();
            var consumer = consumers.getIfUnique();
            if (producer == null || consumer == null) {
                org.slf4j.LoggerFactory.getLogger(EventingAutoConfiguration.class).warn("No single Kafka producer and"
                        + " consumer factory to take client settings from: the relay, consumer and dead letters use"
                        + " bootstrap servers only (no TLS or SASL settings)");
                return KafkaClientProperties.bootstrapOnly(bootstrap);
            }
            return KafkaClientProperties.from(producer.getConfigurationProperties(), consumer.getConfigurationProperties(),
                    bootstrap);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.bind.annotation.RestController")
    @ConditionalOnProperty(name = "bookingplatform.eventing.relay.enabled", matchIfMissing = true)
    static class RelayOpsConfiguration {

        @Bean
        RelayOpsController relayOpsController(DataSource dataSource, OutboxRelayLifecycle relay) {
            return new RelayOpsController(dataSource, relay);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.bind.annotation.RestController")
    static class EventOpsConfiguration {

        @Bean
        EventHistoryController eventHistoryController(DataSource dataSource, SchemaRegistryClient registry,
                DeadLetterStore deadLetters) {
            return new EventHistoryController(dataSource, new AvroEventDeserializer(registry), deadLetters);
        }

        @Bean
        EventingTimeline eventingTimeline(DataSource dataSource) {
            return new EventingTimeline(dataSource);
        }

        @Bean
        TimelineController timelineController(Environment environment, List<TimelineSource> sources) {
            return new TimelineController(environment.getProperty("spring.application.name", "service"), sources);
        }

        @Bean
        @ConditionalOnBean(HandlerRegistration.class)
        DeadLetterOpsController deadLetterOpsController(IdempotentEventDispatcher dispatcher, DeadLetterStore store,
                DeadLetterReplayer replayer, SchemaRegistryClient registry) {
            return new DeadLetterOpsController(dispatcher.consumerGroup(), store, replayer, new ReceivedEventDeserializer(registry));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class CorrelationFilterConfiguration {

        @Bean
        FilterRegistrationBean<CorrelationIdFilter> correlationIdFilter() {
            FilterRegistrationBean<CorrelationIdFilter> registration = new FilterRegistrationBean<>(new CorrelationIdFilter());
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }

    /**
     * Applies the eventing tables, and creates the relay's replication slot if it never published, before
     * anything writes, reads or relays them: the relay streams from that slot with no initial snapshot.
     */
    static final class EventingSchemaMigration implements InitializingBean {

        private final DataSource dataSource;

        private final RelaySettings relay;

        EventingSchemaMigration(DataSource dataSource, RelaySettings relay) {
            this.dataSource = dataSource;
            this.relay = relay;
        }

        @Override
        public void afterPropertiesSet() {
            EventingSchema.migrate(dataSource);
            OutboxRelay.prepareSlot(relay);
        }
    }
}
