/**
 * The edge's security: bearer JWTs with scopes on every API and ops endpoint ({@link EdgeSecurityConfiguration}),
 * the caller behind a request ({@link Caller}), 401/403/429 as problem details, rate limits per token subject and
 * per client address ({@link RateLimitFilter}), and the audit trail of privileged changes ({@link AuditTrail}).
 */
@NullMarked
package dev.bookingplatform.web.security;

import org.jspecify.annotations.NullMarked;
