package dev.bookingplatform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The HTTP edge's settings, under {@code bookingplatform.web}.
 *
 * @param maxRequestBytes largest request body accepted; larger ones get 413
 */
@ConfigurationProperties("bookingplatform.web")
public record WebEdgeProperties(@DefaultValue("65536") long maxRequestBytes) {
}
