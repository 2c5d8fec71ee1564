package dev.bookingplatform.web.openapi;

import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JavaType;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * Says in the documents what the records say in the code: a component marked {@code @Nullable} may be null
 * ({@code nullable: true}), every other one is always there ({@code required}). Without it a validator refuses the
 * nulls the services really send, and a generated client cannot tell a member it may rely on from one it may not.
 */
final class RecordNullability implements ModelConverter {

    @Override
    public @Nullable Schema<?> resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        Schema<?> schema = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
        if (schema == null) {
            return null;
        }
        JavaType javaType = Json.mapper().constructType(type.getType());
        Class<?> raw = javaType.getRawClass();
        if (raw == null || !raw.isRecord()) {
            return schema;
        }
        Schema<?> model = schema.get$ref() == null ? schema
                : context.getDefinedModels().get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1));
        if (model == null || model.getProperties() == null) {
            return schema;
        }
        RecordComponent[] components = raw.getRecordComponents();
        java.lang.reflect.Parameter[] parameters = canonicalParameters(raw, components);
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            Schema<?> property = model.getProperties().get(component.getName());
            if (property == null) {
                continue;
            }
            requireText(component, property);
            if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
                model.getProperties().put(component.getName(), nullable(property));
            }
            else if (parameters != null && parameters[i].getAnnotatedType().isAnnotationPresent(Nullable.class)) {
                // Never null once made, but a request may leave it out: the constructor fills in a default.
                continue;
            }
            else if (model.getRequired() == null || !model.getRequired().contains(component.getName())) {
                model.addRequiredItem(component.getName());
            }
        }
        return schema;
    }

    /** springdoc writes {@code @NotBlank} with {@code @Size} as {@code minLength: 0}: the server refuses an empty value. */
    private static void requireText(RecordComponent component, Schema<?> property) {
        boolean notBlank = component.isAnnotationPresent(jakarta.validation.constraints.NotBlank.class)
                || component.getAccessor().isAnnotationPresent(jakarta.validation.constraints.NotBlank.class);
        if (notBlank && (property.getMinLength() == null || property.getMinLength() == 0)) {
            property.setMinLength(1);
        }
    }

    private static java.lang.reflect.Parameter @Nullable [] canonicalParameters(Class<?> record, RecordComponent[] components) {
        Class<?>[] types = java.util.Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return record.getDeclaredConstructor(types).getParameters();
        }
        catch (NoSuchMethodException ex) {
            return null;
        }
    }

    /** OpenAPI 3.0 ignores {@code nullable} beside a {@code $ref}: a nullable reference is wrapped in {@code allOf}. */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static Schema<?> nullable(Schema property) {
        if (property.get$ref() != null) {
            ComposedSchema wrapped = new ComposedSchema();
            wrapped.setAllOf(List.of(new Schema<>().$ref(property.get$ref())));
            // Every record is an object; 3.0 wants a type beside nullable.
            wrapped.setType("object");
            wrapped.setNullable(true);
            return wrapped;
        }
        property.setNullable(true);
        return property;
    }
}
