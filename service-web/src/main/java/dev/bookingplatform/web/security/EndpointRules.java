package dev.bookingplatform.web.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * A service's own access rules, declared as a bean. The shared configuration adds the ops and actuator rules
 * before them and denies everything after them, so an endpoint no rule names is closed, not open.
 */
@FunctionalInterface
public interface EndpointRules {

    void declare(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules);
}
