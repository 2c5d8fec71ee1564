package dev.bookingplatform.web.security;

import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling: the verified token's subject and scopes. Only endpoints that require a token read it, so
 * an unauthenticated caller here is a programming error, not a user's.
 */
public record Caller(String subject, Set<String> scopes) {

    public static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken token)) {
            throw new IllegalStateException("No verified bearer token on this request");
        }
        Set<String> scopes = token.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith("SCOPE_")).map(authority -> authority.substring(6))
                .collect(Collectors.toUnmodifiableSet());
        return new Caller(token.getToken().getSubject(), scopes);
    }

    public boolean has(String scope) {
        return scopes.contains(scope);
    }
}
