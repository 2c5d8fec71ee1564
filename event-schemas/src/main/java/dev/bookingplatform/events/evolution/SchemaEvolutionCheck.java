package dev.bookingplatform.events.evolution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Full transitive compatibility, checked with Avro's own {@link SchemaCompatibility}: the current schema
 * reads data written with every earlier version (backward) and every earlier version reads data written
 * with the current one (forward). It is the rule the registry subjects enforce too.
 */
public final class SchemaEvolutionCheck {

    private SchemaEvolutionCheck() {
    }

    /**
     * Describes every way {@code current} breaks compatibility with the given earlier versions; empty if
     * it breaks none.
     */
    public static List<String> problems(Schema current, Map<Integer, Schema> earlierVersions) {
        List<String> problems = new ArrayList<>();
        earlierVersions.forEach((version, earlier) -> {
            describe(problems, "the current schema cannot read data written with v" + version + " (backward)",
                    SchemaCompatibility.checkReaderWriterCompatibility(current, earlier));
            describe(problems, "v" + version + " cannot read data written with the current schema (forward)",
                    SchemaCompatibility.checkReaderWriterCompatibility(earlier, current));
        });
        return problems;
    }

    private static void describe(List<String> problems, String direction, SchemaPairCompatibility result) {
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add(result.getReader().getFullName() + ": " + direction + ": "
                    + incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
                    + incompatibility.getMessage());
        }
    }
}
