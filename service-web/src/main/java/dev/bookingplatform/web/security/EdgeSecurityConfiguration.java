package dev.bookingplatform.web.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * One filter chain for every service: stateless bearer JWTs, the shared rules (health and the OpenAPI documents
 * open; {@code /ops/**} and the rest of actuator need {@code ops}), each service's {@link EndpointRules}, and
 * everything else denied. The Stripe webhook is opened by payment-service's rules: its signature is its proof.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(EdgeSecurityProperties.class)
@EnableWebSecurity
public class EdgeSecurityConfiguration {

    @Bean
    JwtDecoder bearerTokenDecoder(EdgeSecurityProperties properties) {
        return BearerTokenDecoders.of(properties.jwt());
    }

    @Bean
    RateLimiters rateLimiters(EdgeSecurityProperties properties) {
        return new RateLimiters(properties.rateLimits(), new ClientAddress(properties.trustedProxies()));
    }

    /**
     * A URL Spring Security's firewall refuses (a semicolon, a double slash, an encoded slash) as a problem detail: it
     * went to Spring Boot's {@code /error}, which answers plain JSON of its own shape.
     */
    @Bean
    RequestRejectedHandler requestRejectedAsProblem() {
        return (request, response, rejected) -> SecurityProblems.write(response, HttpStatus.BAD_REQUEST, "Bad Request",
                "The request's URL is not one this API accepts: no semicolons, double slashes or encoded slashes");
    }

    @Bean
    AuditTrail auditTrail(JdbcClient jdbc) {
        return new AuditTrail(jdbc);
    }

    @Bean
    SecurityFilterChain edgeSecurity(HttpSecurity http, JwtDecoder decoder, RateLimiters limiters, ObjectProvider<EndpointRules> services)
            throws Exception {
        SecurityProblems problems = new SecurityProblems(limiters);
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.decoder(decoder))
                        .authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterBefore(RateLimitFilter.beforeAuthentication(limiters), BearerTokenAuthenticationFilter.class)
                .addFilterAfter(RateLimitFilter.afterAuthentication(limiters), BearerTokenAuthenticationFilter.class)
                .authorizeHttpRequests(rules -> {
                    // The error page renders whatever the original request was allowed to reach.
                    rules.requestMatchers("/error").permitAll();
                    rules.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll();
                    rules.requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml",
                            "/swagger-ui.html", "/swagger-ui/**").permitAll();
                    rules.requestMatchers("/actuator/**", "/ops/**").hasAuthority(Scopes.authority(Scopes.OPS));
                    services.orderedStream().forEach(service -> service.declare(rules));
                    rules.anyRequest().denyAll();
                });
        return http.build();
    }
}
