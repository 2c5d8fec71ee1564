package dev.bookingplatform.testsupport.spring;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Puts {@link InfrastructurePropertySource} first in the test context's environment and adds a
 * {@link ServiceProbe}. Contexts of different test classes are not shared: each owns its database.
 */
record InfrastructureContextCustomizer(String testClassName) implements ContextCustomizer {

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        context.getEnvironment().getPropertySources().addFirst(new InfrastructurePropertySource(testClassName));
        if (context instanceof GenericApplicationContext registry) {
            registry.registerBean(ServiceProbe.class);
        }
    }
}
