package dev.bookingplatform.web.security;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Issues HS256 tokens with a key of its own: what the local stack prints for its users and what tests sign
 * with. Production tokens come from an identity provider; nothing here is on a production path.
 */
public final class LocalTokens {

    private final String secret;

    private final NimbusJwtEncoder encoder;

    private final String issuer;

    private final String audience;

    private LocalTokens(String secret, String issuer, String audience) {
        this.secret = secret;
        this.issuer = issuer;
        this.audience = audience;
        this.encoder = NimbusJwtEncoder.withSecretKey(new SecretKeySpec(BearerTokenDecoders.hmacKey(secret), "HmacSHA256"))
                .algorithm(MacAlgorithm.HS256).build();
    }

    /** A new random 256-bit key, for the default issuer and audience. */
    public static LocalTokens generate() {
        byte[] key = new byte[BearerTokenDecoders.MIN_HMAC_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return of(Base64.getEncoder().encodeToString(key));
    }

    public static LocalTokens of(String base64Secret) {
        return new LocalTokens(base64Secret, "booking-platform", "booking-api");
    }

    /** The value for {@code bookingplatform.security.jwt.hmac-secret}. */
    public String secret() {
        return secret;
    }

    public String issue(String subject, Duration lifetime, String... scopes) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer(issuer).audience(List.of(audience)).subject(subject)
                .issuedAt(now).expiresAt(now.plus(lifetime)).id(UUID.randomUUID().toString())
                .claim("scope", String.join(" ", scopes)).build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims)).getTokenValue();
    }

    @Override
    public String toString() {
        return "LocalTokens[issuer=" + issuer + ", audience=" + audience + ", secret=(hidden)]";
    }
}
