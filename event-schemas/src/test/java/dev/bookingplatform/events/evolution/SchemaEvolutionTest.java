package dev.bookingplatform.events.evolution;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.Map;
import java.util.NavigableMap;

import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.bookingplatform.events.EventType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards the contract with every consumer in the field: each event's current schema is released (it is
 * the newest file in {@code src/main/avro-history}) and fully compatible with every earlier release.
 */
class SchemaEvolutionTest {

    private static final SchemaHistory HISTORY = SchemaHistory.load(Path.of("src/main/avro-history"));

    @ParameterizedTest
    @EnumSource(EventType.class)
    void currentSchemaIsTheNewestReleasedVersion(EventType type) {
        NavigableMap<Integer, Schema> versions = HISTORY.versionsOf(type.schema().getFullName());

        assertThat(versions).as("released versions of %s", type.typeName()).isNotEmpty();
        assertThat(versions.lastEntry().getValue())
                .as("%s changed: release it as src/main/avro-history/.../%s.v%d.avsc with this content:%n%s",
                        type.typeName(), type.typeName(), versions.lastKey() + 1, type.schema().toString(true))
                .isEqualTo(type.schema());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void currentSchemaIsBackwardAndForwardCompatibleWithEveryEarlierVersion(EventType type) {
        NavigableMap<Integer, Schema> versions = HISTORY.versionsOf(type.schema().getFullName());

        assertThat(SchemaEvolutionCheck.problems(type.schema(), versions)).isEmpty();
    }

    @Test
    void bookingRequestedGainedAnOptionalFieldInVersionTwo() {
        NavigableMap<Integer, Schema> versions = HISTORY.versionsOf(EventType.BOOKING_REQUESTED.schema().getFullName());

        assertThat(versions.keySet()).containsExactly(1, 2);
        assertThat(versions.get(1).getField("customerLocale")).isNull();
        assertThat(versions.get(2).getField("customerLocale").defaultVal()).isEqualTo(JsonProperties.NULL_VALUE);
    }

    @Test
    void addingARequiredFieldWithoutDefaultIsCaught() {
        Schema v1 = bookingRequestedV1();
        Schema broken = edited(v1, fields -> fields.add(new Schema.Field("loyaltyTier", Schema.create(Schema.Type.STRING))));

        assertThat(SchemaEvolutionCheck.problems(broken, Map.of(1, v1)))
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains("backward")
                .contains("loyaltyTier");
    }

    @Test
    void removingAFieldWithoutDefaultIsCaught() {
        Schema v1 = bookingRequestedV1();
        Schema withoutName = edited(v1, fields -> fields.removeIf(field -> field.name().equals("customerName")));

        assertThat(SchemaEvolutionCheck.problems(withoutName, Map.of(1, v1)))
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains("forward")
                .contains("customerName");
    }

    @Test
    void changingAFieldTypeIsCaughtBothWays() {
        Schema v1 = bookingRequestedV1();
        Schema quantityAsString = edited(v1, fields -> fields.replaceAll(field -> field.name().equals("quantity")
                ? new Schema.Field("quantity", Schema.create(Schema.Type.STRING)) : field));

        assertThat(SchemaEvolutionCheck.problems(quantityAsString, Map.of(1, v1)))
                .hasSize(2)
                .allSatisfy(problem -> assertThat(problem).contains("/fields/7/type"));
    }

    private static Schema bookingRequestedV1() {
        return HISTORY.versionsOf(EventType.BOOKING_REQUESTED.schema().getFullName()).get(1);
    }

    /** A copy of {@code schema} with its field list changed by {@code change}. */
    private static Schema edited(Schema schema, Consumer<List<Schema.Field>> change) {
        List<Schema.Field> fields = new ArrayList<>();
        schema.getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        change.accept(fields);
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }
}
