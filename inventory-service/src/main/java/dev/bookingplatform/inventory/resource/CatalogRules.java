package dev.bookingplatform.inventory.resource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import dev.bookingplatform.web.security.EndpointRules;

import static dev.bookingplatform.web.security.Scopes.CATALOG_WRITE;
import static dev.bookingplatform.web.security.Scopes.authority;

/** The catalogue is read with any valid token (customers browse it through the gateway); only catalog:write edits it. */
@Configuration(proxyBeanMethods = false)
class CatalogRules {

    @Bean
    EndpointRules catalogEndpoints() {
        return rules -> {
            rules.requestMatchers(HttpMethod.GET, "/api/resources", "/api/resources/*", "/api/resources/*/availability")
                    .authenticated();
            rules.requestMatchers(HttpMethod.PUT, "/api/resources/*").hasAuthority(authority(CATALOG_WRITE));
        };
    }
}
