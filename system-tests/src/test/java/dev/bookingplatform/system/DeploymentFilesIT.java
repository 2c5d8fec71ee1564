package dev.bookingplatform.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import tools.jackson.databind.json.JsonMapper;

import dev.bookingplatform.eventing.consumer.HandlerRegistration;
import dev.bookingplatform.events.Topics;
import dev.bookingplatform.localstack.system.RunningService;
import dev.bookingplatform.testsupport.registry.ApicurioDistribution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files checked against the running code: the topics and consumer groups the four
 * services actually use, the properties they actually know (Spring Boot's configuration metadata), and
 * the services that exist. docker-compose.yml cannot run on a machine without a Docker engine, so this is
 * what keeps it, the Kubernetes manifests and the README's configuration reference honest.
 */
class DeploymentFilesIT {

    private static final Path REPOSITORY = Path.of("..");

    private static final List<String> SERVICES = List.of("booking-service", "inventory-service", "payment-service",
            "notification-service");

    private static final Pattern COMPOSE_TOPIC = Pattern.compile("^\\s*create (\\S+) ", Pattern.MULTILINE);

    /** Every configuration-metadata file on the classpath (by its URL) with the property names it lists. */
    private static final Map<String, List<String>> PROPERTIES_BY_METADATA = readConfigurationMetadata();

    @Test
    void everyTopicAndDeadLetterTopicIsDeclaredForStrimziAndCompose() throws IOException {
        Map<String, String> expected = usedTopicsWithTheirSource();

        Map<String, Map<String, Object>> kafkaTopics = new LinkedHashMap<>();
        for (Map<String, Object> topic : documents(REPOSITORY.resolve("deploy/k8s/base/topics.yaml"))) {
            assertThat(topic.get("kind")).isEqualTo("KafkaTopic");
            Map<String, Object> spec = map(topic.get("spec"));
            kafkaTopics.put((String) spec.get("topicName"), spec);
        }
        assertThat(kafkaTopics.keySet()).as("KafkaTopics in deploy/k8s/base/topics.yaml")
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        kafkaTopics.forEach((name, spec) -> {
            assertThat(spec.get("partitions")).as("partitions of %s", name).isInstanceOf(Integer.class);
            assertThat(map(spec.get("config"))).as("config of %s", name).containsKey("retention.ms");
            String source = expected.get(name);
            if (!source.equals(name)) {
                assertThat(spec.get("partitions")).as("a dead letter keeps its partition, so %s needs %s's partitions", name, source)
                        .isEqualTo(kafkaTopics.get(source).get("partitions"));
            }
        });

        String topicScript = String.valueOf(map(compose().get("kafka-topics")).get("command"));
        Set<String> composeTopics = new TreeSet<>();
        Matcher created = COMPOSE_TOPIC.matcher(topicScript);
        while (created.find()) {
            composeTopics.add(created.group(1));
        }
        assertThat(composeTopics).as("topics docker-compose's kafka-topics creates").containsExactlyInAnyOrderElementsOf(expected.keySet());
    }

    /** A service started from its jar, anywhere (compose, Kubernetes, by hand), logs one ECS JSON object per line. */
    @Test
    void everyServiceLogsJsonByDefault() throws IOException {
        for (String service : SERVICES) {
            Path config = REPOSITORY.resolve(service + "/src/main/resources/" + service + ".yml");
            Map<String, Object> logging = map(documents(config).get(0).get("logging"));
            assertThat(map(map(logging.get("structured")).get("format")).get("console")).as("%s's console log format", service)
                    .isEqualTo("ecs");
        }
    }

    @Test
    void everyServiceRunsInComposeAndOnKubernetesWithProbesAndABudget() throws IOException {
        Map<String, Object> compose = compose();
        assertThat(compose).containsKeys(SERVICES.toArray(String[]::new)).containsKeys("kafka", "schema-registry",
                "kafka-ui", "mailpit", "stripe-simulator", "booking-db", "inventory-db", "payment-db", "notification-db");
        compose.forEach((name, service) -> map(map(service).getOrDefault("depends_on", Map.of())).keySet()
                .forEach(dependency -> assertThat(compose).as("%s depends on %s", name, dependency).containsKey(dependency)));
        for (String service : SERVICES) {
            Map<String, Object> definition = map(compose.get(service));
            assertThat(definition.get("image")).isEqualTo("bookingplatform/" + service + ":" + projectVersion());
            assertThat(definition).as("%s has a health check", service).containsKey("healthcheck");
            String database = service.replace("-service", "-db");
            assertThat(String.valueOf(map(compose.get(database)).get("command"))).as(database).contains("wal_level=logical");
        }

        List<String> resources = stringList(documents(REPOSITORY.resolve("deploy/k8s/base/kustomization.yaml")).get(0).get("resources"));
        assertThat(resources).contains("topics.yaml", "schema-registry.yaml", "platform-config.yaml");
        try (var files = Files.list(REPOSITORY.resolve("deploy/k8s/base"))) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> !name.equals("kustomization.yaml")))
                    .as("every manifest in the base is in its kustomization").allMatch(resources::contains);
        }
        for (String service : SERVICES) {
            assertThat(resources).contains(service + ".yaml");
            Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();
            documents(REPOSITORY.resolve("deploy/k8s/base/" + service + ".yaml")).forEach(doc -> byKind.put((String) doc.get("kind"), doc));
            assertThat(byKind).containsKeys("Deployment", "Service", "PodDisruptionBudget");
            Map<String, Object> container = container(byKind.get("Deployment"));
            assertThat(container).as("%s's container", service).containsKeys("livenessProbe", "readinessProbe", "startupProbe");
            assertThat(map(map(container.get("resources")).get("requests"))).containsKeys("cpu", "memory");
        }
        assertThat(documents(REPOSITORY.resolve("deploy/k8s/overlays/example/kustomization.yaml")).get(0).get("resources"))
                .isEqualTo(List.of("../../base"));
    }

    /**
     * Every Deployment runs at least two pods (one relay leads while the other stands by, one pod serves while the
     * other is drained), its budget lets one go at a time, every topic its consumer group reads has a partition for
     * each replica (a replica without one would idle), and readiness asks only for what serving the API needs: a pod
     * whose relay stands by, or whose consumer holds no partition yet, still takes traffic.
     */
    @Test
    void replicasBudgetsPartitionsAndReadinessAgree() throws IOException {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        for (Map<String, Object> topic : documents(REPOSITORY.resolve("deploy/k8s/base/topics.yaml"))) {
            Map<String, Object> spec = map(topic.get("spec"));
            partitions.put((String) spec.get("topicName"), (Integer) spec.get("partitions"));
        }
        for (RunningService service : TheSystem.get().services()) {
            var context = ((RunningService.InJvm) service).context();
            String name = context.getEnvironment().getRequiredProperty("spring.application.name");
            Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();
            documents(REPOSITORY.resolve("deploy/k8s/base/" + name + ".yaml")).forEach(doc -> byKind.put((String) doc.get("kind"), doc));
            Object replicas = map(byKind.get("Deployment").get("spec")).get("replicas");
            assertThat(replicas).as("%s's replicas", name).isInstanceOf(Integer.class);
            assertThat((Integer) replicas).as("%s's replicas: a relay standing by, a pod serving during a drain", name)
                    .isGreaterThanOrEqualTo(2);
            assertThat(map(byKind.get("PodDisruptionBudget").get("spec")).get("maxUnavailable")).as("%s's budget", name).isEqualTo(1);
            for (HandlerRegistration<?> handler : context.getBeansOfType(HandlerRegistration.class).values()) {
                assertThat(partitions.get(handler.topic())).as("partitions of %s, read by %d replicas of %s", handler.topic(), replicas, name)
                        .isGreaterThanOrEqualTo((Integer) replicas);
            }
            assertThat(map(map(container(byKind.get("Deployment")).get("readinessProbe")).get("httpGet")).get("path"))
                    .isEqualTo("/actuator/health/readiness");
            List<String> readiness = List.of(context.getEnvironment()
                    .getRequiredProperty("management.endpoint.health.group.readiness.include").split(","));
            assertThat(readiness).as("%s's readiness group", name).contains("db").doesNotContain("outboxRelay", "eventConsumer");
            Object env = container(byKind.get("Deployment")).getOrDefault("env", List.of());
            assertThat(((List<?>) env).stream().map(variable -> String.valueOf(map(variable).get("name"))))
                    .as("%s's manifest leaves the readiness group as the service defines it", name)
                    .noneMatch(variable -> variable.startsWith("MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS"));
        }
    }

    @Test
    void theContainersRunTheKafkaAndRegistryVersionsTheBuildTestsAgainst() throws IOException {
        Matcher kafkaVersion = Pattern.compile("<kafka.version>([^<]+)</kafka.version>")
                .matcher(Files.readString(REPOSITORY.resolve("pom.xml")));
        assertThat(kafkaVersion.find()).isTrue();
        Map<String, Object> compose = compose();
        assertThat(map(compose.get("kafka")).get("image")).isEqualTo("apache/kafka:" + kafkaVersion.group(1));
        assertThat(map(compose.get("kafka-topics")).get("image")).isEqualTo("apache/kafka:" + kafkaVersion.group(1));
        String registry = "apicurio/apicurio-registry:" + ApicurioDistribution.VERSION;
        assertThat(map(compose.get("schema-registry")).get("image")).isEqualTo(registry);
        assertThat(container(documents(REPOSITORY.resolve("deploy/k8s/base/schema-registry.yaml")).get(0)).get("image"))
                .isEqualTo(registry);
    }

    @Test
    void everyEnvironmentVariableNamesAPropertyItsServiceKnows() throws IOException {
        Map<String, Object> compose = compose();
        for (String service : SERVICES) {
            Set<String> known = environmentFormsOfKnownProperties(service);
            Set<String> composeVariables = map(map(compose.get(service)).get("environment")).keySet();
            assertThat(composeVariables).as("docker-compose.yml's %s environment", service).isNotEmpty().isSubsetOf(known);
            List<String> k8sVariables = new ArrayList<>();
            for (Object variable : (List<?>) container(documents(REPOSITORY.resolve("deploy/k8s/base/" + service + ".yaml")).get(0)).get("env")) {
                k8sVariables.add((String) map(variable).get("name"));
            }
            assertThat(k8sVariables).as("deploy/k8s/base/%s.yaml's environment", service).isNotEmpty().isSubsetOf(known);
        }
    }

    @Test
    void theReadmeConfigurationReferenceNamesEveryPlatformProperty() throws IOException {
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        Set<String> ours = new TreeSet<>();
        PROPERTIES_BY_METADATA.values().forEach(names -> names.stream().filter(name -> name.startsWith("bookingplatform."))
                .forEach(ours::add));
        assertThat(ours).as("our @ConfigurationProperties, from their metadata").hasSizeGreaterThan(20);
        assertThat(ours).allSatisfy(property -> assertThat(readme).as("README mentions %s", property).contains("`" + property + "`"));
    }

    /** Topic name to the topic it takes records from: itself for an event topic, the source for a DLT. */
    private static Map<String, String> usedTopicsWithTheirSource() {
        Map<String, String> topics = new LinkedHashMap<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    String topic = (String) field.get(null);
                    topics.put(topic, topic);
                }
                catch (IllegalAccessException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        for (RunningService service : TheSystem.get().services()) {
            var context = ((dev.bookingplatform.localstack.system.RunningService.InJvm) service).context();
            var environment = context.getEnvironment();
            String group = environment.getProperty("bookingplatform.eventing.consumer-group",
                    environment.getRequiredProperty("spring.application.name"));
            for (HandlerRegistration<?> handler : context.getBeansOfType(HandlerRegistration.class).values()) {
                topics.put(handler.topic(), handler.topic());
                topics.put(Topics.deadLetterTopic(handler.topic(), group), handler.topic());
            }
        }
        assertThat(topics).as("three event topics and the dead-letter topics of four consumer groups").hasSizeGreaterThan(6);
        return topics;
    }

    /**
     * What Spring Boot's relaxed binding accepts from the environment for every property on the service's
     * classpath: its own metadata and its libraries', never another service's.
     */
    private static Set<String> environmentFormsOfKnownProperties(String service) {
        Set<String> known = new HashSet<>();
        PROPERTIES_BY_METADATA.forEach((metadata, properties) -> {
            boolean anotherService = SERVICES.stream().filter(other -> !other.equals(service))
                    .anyMatch(other -> metadata.contains("/" + other + "/") || metadata.contains("/" + other + "-"));
            if (!anotherService) {
                properties.forEach(property -> known.add(property.replace(".", "_").replace("-", "").toUpperCase(Locale.ROOT)));
            }
        });
        assertThat(known).as("Spring Boot's and our properties").contains("SPRING_DATASOURCE_URL", "SERVER_PORT");
        return known;
    }

    private static Map<String, List<String>> readConfigurationMetadata() {
        Map<String, List<String>> byMetadata = new LinkedHashMap<>();
        JsonMapper json = JsonMapper.builder().build();
        try {
            for (URL metadata : Collections.list(DeploymentFilesIT.class.getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json"))) {
                try (InputStream in = metadata.openStream()) {
                    List<String> names = new ArrayList<>();
                    json.readTree(in).path("properties").forEach(property -> names.add(property.get("name").asString()));
                    byMetadata.put(metadata.toString(), names);
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return byMetadata;
    }

    private static Map<String, Object> compose() throws IOException {
        return map(documents(REPOSITORY.resolve("docker-compose.yml")).get(0).get("services"));
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        Map<String, Object> podSpec = map(map(map(deployment.get("spec")).get("template")).get("spec"));
        return map(((List<?>) podSpec.get("containers")).get(0));
    }

    private static String projectVersion() throws IOException {
        Matcher version = Pattern.compile("<artifactId>booking-platform</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(REPOSITORY.resolve("pom.xml")));
        assertThat(version.find()).isTrue();
        return version.group(1);
    }

    private static List<Map<String, Object>> documents(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            new Yaml().loadAll(reader).forEach(document -> documents.add(map(document)));
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        assertThat(yaml).isInstanceOf(Map.class);
        return (Map<String, Object>) yaml;
    }

    private static List<String> stringList(Object yaml) {
        assertThat(yaml).isInstanceOf(List.class);
        return ((List<?>) yaml).stream().map(String::valueOf).toList();
    }
}
