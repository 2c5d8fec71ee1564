package dev.bookingplatform.web.security;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Verifies bearer tokens with exactly one kind of key, so a token cannot choose how it is checked: with a JWKS
 * URI only RS256/ES256 signatures by the provider's keys pass (an HS256 token "signed" with a public key's bytes
 * is refused), with an HMAC key only HS256. {@code alg: none} never passes. Every token must name our issuer
 * and audience, a subject, and an expiry.
 */
final class BearerTokenDecoders {

    /** 256 bits: HS256's own key length (RFC 7518 section 3.2). */
    static final int MIN_HMAC_KEY_BYTES = 32;

    private BearerTokenDecoders() {
    }

    static JwtDecoder of(EdgeSecurityProperties.Jwt settings) {
        NimbusJwtDecoder decoder;
        if (settings.jwkSetUri() != null && settings.hmacSecret() != null) {
            throw new IllegalStateException("Set one of bookingplatform.security.jwt.jwk-set-uri and"
                    + " bookingplatform.security.jwt.hmac-secret, not both");
        }
        if (settings.jwkSetUri() != null) {
            decoder = NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri().toString())
                    .jwsAlgorithms(algorithms -> {
                        algorithms.add(SignatureAlgorithm.RS256);
                        algorithms.add(SignatureAlgorithm.ES256);
                    })
                    .build();
        }
        else if (settings.hmacSecret() != null && !settings.hmacSecret().isBlank()) {
            decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(hmacKey(settings.hmacSecret()), "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256)
                    .build();
        }
        else {
            throw new IllegalStateException("No way to verify bearer tokens: set bookingplatform.security.jwt.jwk-set-uri"
                    + " (your identity provider's JWKS) or, locally, bookingplatform.security.jwt.hmac-secret (base64, at"
                    + " least 256 bits; ./local-stack generates one)");
        }
        decoder.setJwtValidator(validator(settings));
        return decoder;
    }

    static OAuth2TokenValidator<Jwt> validator(EdgeSecurityProperties.Jwt settings) {
        return new DelegatingOAuth2TokenValidator<>(List.of(
                new JwtTimestampValidator(settings.clockSkew()),
                new JwtIssuerValidator(settings.issuer()),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                        audience -> audience != null && audience.contains(settings.audience())),
                // A token without an expiry would be good forever; the timestamp validator lets it through.
                new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull),
                new JwtClaimValidator<String>(JwtClaimNames.SUB, subject -> subject != null && !subject.isBlank())));
    }

    static byte[] hmacKey(String base64) {
        byte[] key;
        try {
            key = base64.contains("-") || base64.contains("_") ? Base64.getUrlDecoder().decode(base64.trim())
                    : Base64.getDecoder().decode(base64.trim());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException("bookingplatform.security.jwt.hmac-secret is not base64");
        }
        if (key.length < MIN_HMAC_KEY_BYTES) {
            throw new IllegalStateException("bookingplatform.security.jwt.hmac-secret has " + key.length * 8
                    + " bits; HS256 needs at least 256");
        }
        return key;
    }
}
