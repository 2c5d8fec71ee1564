package dev.bookingplatform.web.security;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The decoder as production configures it, against a real JWKS over HTTP: only tokens signed by the provider's
 * key, for our issuer and audience, with a subject and an expiry, pass; the classic forgeries do not.
 */
class BearerTokenDecodersTest {

    private static HttpServer jwks;

    private static RSAKey providerKey;

    private static JwtDecoder production;

    @BeforeAll
    static void identityProvider() throws Exception {
        providerKey = new RSAKeyGenerator(2048).keyID("provider-1").generate();
        byte[] body = new JWKSet(providerKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/.well-known/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        production = BearerTokenDecoders.of(new EdgeSecurityProperties.Jwt(
                java.net.URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json"), null,
                "booking-platform", "booking-api", Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stop() {
        jwks.stop(0);
    }

    @Test
    void aTokenSignedByTheProvidersKeyPasses() {
        var jwt = production.decode(ForgedTokens.rs256(providerKey, ForgedTokens.claims("customer-1", "bookings:read").build()));

        assertThat(jwt.getSubject()).isEqualTo("customer-1");
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused() {
        refused(ForgedTokens.hs256WithPublicKey(providerKey, ForgedTokens.claims("attacker", "bookings:admin").build()));
    }

    @Test
    void anUnsignedTokenIsRefused() {
        refused(ForgedTokens.unsigned(ForgedTokens.claims("attacker", "bookings:admin").build()));
    }

    @Test
    void anotherKeysSignatureIsRefused() throws Exception {
        RSAKey other = new RSAKeyGenerator(2048).keyID("provider-1").generate();
        refused(ForgedTokens.rs256(other, ForgedTokens.claims("attacker", "ops").build()));
    }

    @Test
    void wrongIssuerAudienceMissingExpiryOrSubjectOrExpiredAreRefused() {
        refused(ForgedTokens.rs256(providerKey, ForgedTokens.claims("c", "ops").issuer("https://evil.example").build()));
        refused(ForgedTokens.rs256(providerKey, ForgedTokens.claims("c", "ops").audience("another-api").build()));
        refused(ForgedTokens.rs256(providerKey, ForgedTokens.claims("c", "ops").expirationTime(null).build()));
        refused(ForgedTokens.rs256(providerKey, ForgedTokens.claims("c", "ops").subject(null).build()));
        refused(ForgedTokens.rs256(providerKey, ForgedTokens.claims("c", "ops")
                .expirationTime(Date.from(Instant.now().minusSeconds(120))).build()));
    }

    @Test
    void hmacModeTakesOnlyHs256WithItsOwnKey() {
        LocalTokens tokens = LocalTokens.generate();
        JwtDecoder local = BearerTokenDecoders.of(new EdgeSecurityProperties.Jwt(null, tokens.secret(), "booking-platform",
                "booking-api", Duration.ofSeconds(30)));

        assertThat(local.decode(tokens.issue("customer-1", Duration.ofMinutes(1), "bookings:read")).getSubject()).isEqualTo("customer-1");
        JWTClaimsSet claims = ForgedTokens.claims("attacker", "ops").build();
        assertThatThrownBy(() -> local.decode(ForgedTokens.rs256(providerKey, claims))).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> local.decode(ForgedTokens.unsigned(claims))).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> local.decode(ForgedTokens.hs256(LocalTokens.generate().secret().getBytes(StandardCharsets.UTF_8), claims)))
                .isInstanceOf(JwtException.class);
    }

    @Test
    void aServiceWithoutAKeyOrWithAShortOneOrWithBothRefusesToStart() {
        assertThatThrownBy(() -> BearerTokenDecoders.of(new EdgeSecurityProperties.Jwt(null, null, "i", "a", Duration.ZERO)))
                .hasMessageContaining("bookingplatform.security.jwt.jwk-set-uri").hasMessageContaining("hmac-secret");
        String short128 = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> BearerTokenDecoders.of(new EdgeSecurityProperties.Jwt(null, short128, "i", "a", Duration.ZERO)))
                .hasMessageContaining("128 bits").hasMessageNotContaining(short128);
        assertThatThrownBy(() -> BearerTokenDecoders.of(new EdgeSecurityProperties.Jwt(java.net.URI.create("http://x"),
                LocalTokens.generate().secret(), "i", "a", Duration.ZERO))).hasMessageContaining("not both");
    }

    @Test
    void secretsStayOutOfToString() {
        LocalTokens tokens = LocalTokens.generate();
        var settings = new EdgeSecurityProperties.Jwt(null, tokens.secret(), "i", "a", Duration.ZERO);

        assertThat(settings.toString()).doesNotContain(tokens.secret());
        assertThat(tokens.toString()).doesNotContain(tokens.secret());
        assertThat(List.of(settings).toString()).contains("(hidden)");
    }

    private static void refused(String token) {
        assertThatThrownBy(() -> production.decode(token)).isInstanceOf(JwtException.class);
    }
}
