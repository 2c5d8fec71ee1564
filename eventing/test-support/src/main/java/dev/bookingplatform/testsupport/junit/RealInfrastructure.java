package dev.bookingplatform.testsupport.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.ContextCustomizerFactories;

import dev.bookingplatform.testsupport.spring.InfrastructureContextCustomizerFactory;

/**
 * Gives a test real infrastructure from {@link dev.bookingplatform.testsupport.Infrastructure}.
 *
 * <p>Plain JUnit tests declare parameters of type {@code PostgresDatabase} (a fresh database for the test
 * class), {@code KafkaBroker}, {@code SchemaRegistry} or {@code PostgresServer}. Spring tests get the
 * properties {@code spring.datasource.*}, {@code spring.kafka.bootstrap-servers} and
 * {@code bookingplatform.schema-registry.url} pointing at them; each piece starts only if something reads
 * its property.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(InfrastructureExtension.class)
@ContextCustomizerFactories(InfrastructureContextCustomizerFactory.class)
public @interface RealInfrastructure {
}
