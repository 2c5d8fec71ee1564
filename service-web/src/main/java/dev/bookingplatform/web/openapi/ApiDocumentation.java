package dev.bookingplatform.web.openapi;

import java.util.List;

import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.models.Operation;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The OpenAPI documents' security, in every service that serves one (springdoc on its classpath): a bearer JWT
 * (HS256 from the local stack, RS256/ES256 from the identity provider in production). Each operation lists the
 * scopes it accepts, one requirement per scope (any one suffices), or a requirement naming none where any valid
 * token does; which bookings a token reaches is the owner rule the operations describe. OpenAPI 3.1 lets a bearer
 * scheme's requirement name scopes.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springdoc.core.customizers.OpenApiCustomizer")
@SecurityScheme(name = ApiDocumentation.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "A JWT with our issuer and audience, a subject and an expiry. Scopes: bookings:write and bookings:read"
                + " (a customer's own bookings), bookings:admin (any booking; audited), catalog:write, ops.")
public class ApiDocumentation {

    public static final String BEARER = "bearer";

    /**
     * The contract's own version, in every service's document: changed by hand when the contract changes (minor for an
     * addition, major for a break), never by a release, so a build that changes no API leaves the document as it was.
     */
    public static final String CONTRACT_VERSION = "1.3.0";

    /**
     * The eventing library's ops endpoints (/ops/relay) carry no security annotations of ours: they need the ops scope
     * too. Then the conventions every operation shares, which read each operation's security.
     */
    @Bean
    OpenApiCustomizer contractConventions() {
        ContractConventions conventions = new ContractConventions();
        return openApi -> {
            if (openApi.getPaths() != null) {
                openApi.getPaths().forEach((path, item) -> {
                    if (path.startsWith("/ops/")) {
                        item.readOperations().stream()
                                .filter(operation -> operation.getSecurity() == null || operation.getSecurity().isEmpty())
                                .forEach(ApiDocumentation::requireOps);
                    }
                });
            }
            conventions.customise(openApi);
        };
    }

    /** Nullable record components nullable, the others required, in every schema springdoc derives from a record. */
    @Bean
    io.swagger.v3.core.converter.ModelConverter recordNullability() {
        return new RecordNullability();
    }

    private static void requireOps(Operation operation) {
        operation.setSecurity(List.of(new io.swagger.v3.oas.models.security.SecurityRequirement().addList(BEARER, "ops")));
    }
}
