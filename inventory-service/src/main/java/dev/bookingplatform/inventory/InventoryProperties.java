package dev.bookingplatform.inventory;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * inventory-service's settings, under {@code bookingplatform.inventory}.
 *
 * @param holdDuration how long a hold lasts for a resource created without its own hold duration
 * @param expiryInterval how often the expiry job looks for holds past their time
 * @param expiryBatchSize holds released per job transaction
 * @param seedResources whether an empty inventory gets a few demo resources on start
 * @param availabilityMaxRange the longest range one availability request may ask for
 * @param expiryGrace how long after its expiry a hold is still kept: the Checkout Session ends at the hold's expiry,
 *        so a payment made in time whose webhook arrives a little late still meets its units
 */
@ConfigurationProperties("bookingplatform.inventory")
public record InventoryProperties(@DefaultValue("40m") Duration holdDuration, @DefaultValue("1s") Duration expiryInterval,
        @DefaultValue("100") int expiryBatchSize, @DefaultValue("true") boolean seedResources,
        @DefaultValue("92d") Duration availabilityMaxRange, @DefaultValue("3m") Duration expiryGrace) {
}
