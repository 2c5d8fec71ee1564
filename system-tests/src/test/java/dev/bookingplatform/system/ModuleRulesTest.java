package dev.bookingplatform.system;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module rules the design depends on, checked on the compiled classes of every module: services talk
 * only through events (none imports another), and only the eventing library touches Debezium and the Kafka
 * clients, so every service gets the outbox, the inbox, retries and dead letters the same way.
 */
class ModuleRulesTest {

    private static final List<String> SERVICES = List.of("booking", "inventory", "payment", "notification");

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.bookingplatform");

    @Test
    void noServiceImportsAnother() {
        for (String service : SERVICES) {
            assertThat(PRODUCTION.containPackage("dev.bookingplatform." + service))
                    .as("the classes of %s-service were imported, so the rule has something to check", service).isTrue();
            String[] others = SERVICES.stream().filter(other -> !other.equals(service))
                    .map(other -> "dev.bookingplatform." + other + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("dev.bookingplatform." + service + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("services talk only through events on Kafka")
                    .check(PRODUCTION);
        }
    }

    @Test
    void onlyTheEventingLibraryTouchesDebeziumAndTheKafkaClients() {
        noClasses().that().resideInAnyPackage("dev.bookingplatform.booking..", "dev.bookingplatform.inventory..",
                        "dev.bookingplatform.payment..", "dev.bookingplatform.notification..", "dev.bookingplatform.web..")
                .should().dependOnClassesThat().resideInAnyPackage("io.debezium..", "org.apache.kafka..",
                        "org.springframework.kafka..")
                .because("the outbox, the relay, the inbox, retries and dead letters live in dev.bookingplatform.eventing")
                .check(PRODUCTION);
    }

    @Test
    void everyControllerNegotiatesTheAnswerBeforeItRuns() {
        // Without produces, Spring MVC runs the method and only then finds that the Accept header names no type it can
        // write: a change committed and answered 406, which a client retries. With it, the mapping refuses first.
        // The Stripe webhook instead sets its answer's type itself, so no Accept header can refuse a delivery.
        List<String> mappings = new ArrayList<>();
        List<String> undeclared = new ArrayList<>();
        PRODUCTION.stream().filter(type -> type.isAnnotatedWith(RestController.class)).forEach(controller -> {
            RequestMapping onClass = AnnotatedElementUtils.findMergedAnnotation(controller.reflect(), RequestMapping.class);
            for (Method method : controller.reflect().getDeclaredMethods()) {
                RequestMapping onMethod = AnnotatedElementUtils.findMergedAnnotation(method, RequestMapping.class);
                String name = controller.getSimpleName() + "." + method.getName();
                if (onMethod == null || name.equals("StripeWebhookController.receive")) {
                    continue;
                }
                mappings.add(name);
                String[] produces = onMethod.produces().length > 0 ? onMethod.produces()
                        : onClass != null ? onClass.produces() : new String[0];
                if (produces.length == 0 || Arrays.stream(produces).anyMatch(type -> type.contains("*"))) {
                    undeclared.add(name);
                }
            }
        });
        assertThat(mappings).as("request mappings found").hasSizeGreaterThan(20);
        assertThat(undeclared).as("mappings that declare no produces, or a wildcard").isEmpty();
    }

    @Test
    void theEventContractsDependOnNoService() {
        noClasses().that().resideInAPackage("dev.bookingplatform.events..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bookingplatform.booking..", "dev.bookingplatform.inventory..",
                        "dev.bookingplatform.payment..", "dev.bookingplatform.notification..", "dev.bookingplatform.eventing..")
                .check(PRODUCTION);
    }
}
