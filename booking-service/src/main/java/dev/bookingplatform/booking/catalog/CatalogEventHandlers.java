package dev.bookingplatform.booking.catalog;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.bookingplatform.eventing.consumer.HandlerRegistration;
import dev.bookingplatform.events.inventory.ResourceChanged;

@Configuration(proxyBeanMethods = false)
class CatalogEventHandlers {

    @Bean
    HandlerRegistration<ResourceChanged> rememberResourceChanged(KnownResources resources) {
        return HandlerRegistration.on(ResourceChanged.class, (event, metadata) -> resources.remember(event.getResourceId(),
                event.getName(), event.getAddOnIds(), event.getVersion(), event.getBookingUnit(),
                event.getCancellationPolicy()));
    }
}
