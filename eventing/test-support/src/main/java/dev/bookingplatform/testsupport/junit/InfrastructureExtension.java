package dev.bookingplatform.testsupport.junit;

import java.util.Set;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.bookingplatform.testsupport.Infrastructure;
import dev.bookingplatform.testsupport.kafka.KafkaBroker;
import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.testsupport.postgres.PostgresServer;
import dev.bookingplatform.testsupport.registry.SchemaRegistry;

/** Resolves test parameters to the shared infrastructure; see {@link RealInfrastructure}. */
public final class InfrastructureExtension implements ParameterResolver {

    private static final Set<Class<?>> SUPPORTED = Set.of(PostgresDatabase.class, PostgresServer.class,
            KafkaBroker.class, SchemaRegistry.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return SUPPORTED.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == PostgresDatabase.class) {
            return databaseOfTestClass(context);
        }
        if (type == PostgresServer.class) {
            return Infrastructure.postgres();
        }
        if (type == KafkaBroker.class) {
            return Infrastructure.kafka();
        }
        return Infrastructure.registry();
    }

    private static PostgresDatabase databaseOfTestClass(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        ExtensionContext.Store store = context.getRoot()
                .getStore(ExtensionContext.Namespace.create(InfrastructureExtension.class));
        return store.computeIfAbsent(testClass,
                key -> Infrastructure.postgres().createDatabase(testClass.getSimpleName()), PostgresDatabase.class);
    }
}
