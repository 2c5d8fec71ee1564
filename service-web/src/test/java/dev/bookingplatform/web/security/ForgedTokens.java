package dev.bookingplatform.web.security;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/** Tokens an attacker (or a careless issuer) would send: signed with the wrong key or algorithm, or with bad claims. */
public final class ForgedTokens {

    private ForgedTokens() {
    }

    public static JWTClaimsSet.Builder claims(String subject, String scope) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer("booking-platform").audience(List.of("booking-api")).subject(subject)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600))).claim("scope", scope);
    }

    public static String hs256(byte[] key, JWTClaimsSet claims) {
        try {
            return sign(new MACSigner(key), new JWSHeader(JWSAlgorithm.HS256), claims);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static String rs256(RSAKey key, JWTClaimsSet claims) {
        try {
            return sign(new RSASSASigner(key), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** {@code alg: none}: no signature at all. */
    public static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(new PlainHeader(), claims).serialize();
    }

    /**
     * The algorithm-confusion attack: HS256 "signed" with the bytes of the provider's public key, hoping the
     * verifier uses whatever key it has with whatever algorithm the token names.
     */
    public static String hs256WithPublicKey(RSAKey key, JWTClaimsSet claims) {
        try {
            byte[] publicKeyBytes = key.toRSAPublicKey().getEncoded();
            return sign(new MACSigner(publicKeyBytes), new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
                    claims);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
