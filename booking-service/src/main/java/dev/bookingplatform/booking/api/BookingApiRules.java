package dev.bookingplatform.booking.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import dev.bookingplatform.web.security.EndpointRules;

import static dev.bookingplatform.web.security.Scopes.BOOKINGS_ADMIN;
import static dev.bookingplatform.web.security.Scopes.BOOKINGS_READ;
import static dev.bookingplatform.web.security.Scopes.BOOKINGS_WRITE;
import static dev.bookingplatform.web.security.Scopes.authorities;

/** The booking API's scopes; which bookings a token reaches is {@link BookingAccess}'s decision. */
@Configuration(proxyBeanMethods = false)
class BookingApiRules {

    @Bean
    EndpointRules bookingEndpoints() {
        return rules -> {
            rules.requestMatchers(HttpMethod.POST, "/api/bookings/search").hasAnyAuthority(authorities(BOOKINGS_ADMIN));
            rules.requestMatchers(HttpMethod.POST, "/api/bookings", "/api/bookings/*/cancel")
                    .hasAnyAuthority(authorities(BOOKINGS_WRITE, BOOKINGS_ADMIN));
            rules.requestMatchers(HttpMethod.GET, "/api/bookings", "/api/bookings/*", "/api/bookings/*/events")
                    .hasAnyAuthority(authorities(BOOKINGS_READ, BOOKINGS_ADMIN));
        };
    }
}
