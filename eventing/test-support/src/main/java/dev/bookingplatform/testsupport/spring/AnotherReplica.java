package dev.bookingplatform.testsupport.spring;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * A second replica of the service a Spring test runs: another application context of the same application in this
 * JVM, on the test's database, broker and registry, with the test's inline and dynamic properties and its clock (so a test that
 * moves time moves it for both). It owns everything a replica owns but the JVM: its connection pool, scheduler,
 * consumers (one more member of the group), relay (standing by behind the first's advisory lock) and beans, job
 * leases included. A test can so make two replicas run a job at the same moment, which separate JVMs reading the
 * system clock cannot do deterministically.
 */
public final class AnotherReplica implements AutoCloseable {

    private static final List<String> INFRASTRUCTURE = List.of("spring.datasource.url", "spring.datasource.username",
            "spring.datasource.password", "spring.kafka.bootstrap-servers", InfrastructurePropertySource.SCHEMA_REGISTRY_URL);

    /** Where Spring's test context keeps the {@code @DynamicPropertySource} values (DynamicValuesPropertySource). */
    private static final String DYNAMIC_PROPERTIES = "Dynamic Test Properties";

    private final ConfigurableApplicationContext context;

    private AnotherReplica(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts another replica of {@code application}, the service whose test context is {@code first}. */
    public static AnotherReplica of(ApplicationContext first, Class<?> application) {
        ConfigurableEnvironment environment = (ConfigurableEnvironment) first.getEnvironment();
        List<String> arguments = new ArrayList<>();
        for (String source : List.of(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, DYNAMIC_PROPERTIES)) {
            if (environment.getPropertySources().get(source) instanceof EnumerablePropertySource<?> properties) {
                for (String name : properties.getPropertyNames()) {
                    if (!name.equals("server.port")) {
                        arguments.add("--" + name + "=" + properties.getProperty(name));
                    }
                }
            }
        }
        for (String name : INFRASTRUCTURE) {
            String value = environment.getProperty(name);
            if (value != null) {
                arguments.add("--" + name + "=" + value);
            }
        }
        arguments.add("--server.port=0");
        Clock clock = first.getBean(Clock.class);
        SpringApplication replica = new SpringApplication(application);
        replica.addInitializers(context -> context.getBeanFactory().registerSingleton("clock", clock));
        return new AnotherReplica(replica.run(arguments.toArray(String[]::new)));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** The port its web server listens on. */
    public int port() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @Override
    public void close() {
        context.close();
    }
}
