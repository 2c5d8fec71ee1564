package dev.bookingplatform.payment;

import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Refuses to start payment-service without a Stripe key and webhook secret, or, outside the {@code local}
 * profile, with the simulator's: those are published in this repository, so a webhook "signed" with them proves
 * nothing. The message names the property to set, never a value.
 */
@Component
class StripeSecretsCheck implements InitializingBean {

    /** The local stack's published stand-ins; acceptable only to the simulator. */
    static final Set<String> PUBLISHED = Set.of("sk_test_local_simulator", "whsec_local_simulator");

    static final String LOCAL_PROFILE = "local";

    /** What Stripe issues: a signing secret is {@code whsec_} and at least 32 letters and digits (the CLI's, 64 hex). */
    static final java.util.regex.Pattern SIGNING_SECRET = java.util.regex.Pattern.compile("whsec_[A-Za-z0-9+/=]{32,}");

    /** A secret or restricted key, test or live mode: the prefix, then at least 24 letters and digits. */
    static final java.util.regex.Pattern API_KEY = java.util.regex.Pattern.compile("(sk|rk)_(test|live)_[A-Za-z0-9]{24,}");

    private final StripeProperties properties;

    private final Environment environment;

    StripeSecretsCheck(StripeProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public void afterPropertiesSet() {
        check(properties, environment.acceptsProfiles(Profiles.of(LOCAL_PROFILE)));
    }

    static void check(StripeProperties properties, boolean localProfile) {
        if (properties.apiKey() == null || properties.apiKey().isBlank()) {
            throw new IllegalStateException("Set bookingplatform.stripe.api-key (BOOKINGPLATFORM_STRIPE_API_KEY) to the"
                    + " Stripe secret key payment-service uses");
        }
        List<String> secrets = properties.webhookSecrets().stream().filter(secret -> !secret.isBlank()).toList();
        if (secrets.isEmpty()) {
            throw new IllegalStateException("Set bookingplatform.stripe.webhook-secrets (BOOKINGPLATFORM_STRIPE_WEBHOOK_SECRETS)"
                    + " to the signing secret of the Stripe webhook endpoint");
        }
        // The local profile is for the simulator: against Stripe itself a published secret is refused in any profile
        // (a real key set, the webhook secret forgotten, must not fall back to one anyone can sign with).
        if (localProfile && !properties.apiBase().contains("api.stripe.com")) {
            return;
        }
        if (PUBLISHED.contains(properties.apiKey())) {
            throw new IllegalStateException("bookingplatform.stripe.api-key is the local simulator's published key; set"
                    + " the real Stripe secret key, or run with the 'local' profile against the simulator");
        }
        if (secrets.stream().anyMatch(PUBLISHED::contains)) {
            throw new IllegalStateException("bookingplatform.stripe.webhook-secrets holds the local simulator's published"
                    + " secret, so anyone could forge webhooks; set the endpoint's signing secret from Stripe, or run with the"
                    + " 'local' profile against the simulator");
        }
        // Against Stripe itself, a placeholder (an example file's whsec_change_me) is as forgeable as a published one.
        if (properties.apiBase().contains("api.stripe.com")) {
            if (!secrets.stream().allMatch(secret -> SIGNING_SECRET.matcher(secret).matches())) {
                throw new IllegalStateException("bookingplatform.stripe.webhook-secrets holds a value that is not a Stripe"
                        + " signing secret (whsec_ and at least 32 letters and digits), a placeholder perhaps; set the"
                        + " endpoint's signing secret from the Stripe dashboard");
            }
            if (!API_KEY.matcher(properties.apiKey()).matches()) {
                throw new IllegalStateException("bookingplatform.stripe.api-key is not a Stripe secret or restricted key"
                        + " (sk_ or rk_, test_ or live_, then at least 24 letters and digits), a placeholder perhaps; set the"
                        + " key from the Stripe dashboard");
            }
        }
    }
}
