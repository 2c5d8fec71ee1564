package dev.bookingplatform.testsupport.spring;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.bookingplatform.testsupport.MovableClock;

/**
 * A service's clock replaced by a {@link MovableClock} the test moves: {@code @Import(MovableClockConfiguration.class)}
 * on a {@code @SpringBootTest}. The service's own {@code Clock} bean backs off for it.
 */
@Configuration(proxyBeanMethods = false)
public class MovableClockConfiguration {

    @Bean
    MovableClock clock() {
        return new MovableClock();
    }
}
