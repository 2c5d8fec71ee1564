package dev.bookingplatform.events.evolution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.avro.Schema;

/**
 * Every released version of every event schema, kept as self-contained files named
 * {@code <Record>.v<N>.avsc} under one directory tree ({@code src/main/avro-history}). A released version is
 * never edited or deleted; a change to a schema is released by adding the next version.
 */
public final class SchemaHistory {

    private static final Pattern FILE_NAME = Pattern.compile("(?<name>[A-Za-z0-9_]+)\\.v(?<version>\\d+)\\.avsc");

    private final Map<String, NavigableMap<Integer, Schema>> versionsByFullName;

    private SchemaHistory(Map<String, NavigableMap<Integer, Schema>> versionsByFullName) {
        this.versionsByFullName = versionsByFullName;
    }

    /** Reads every {@code *.v<N>.avsc} below {@code root}. */
    public static SchemaHistory load(Path root) {
        Map<String, NavigableMap<Integer, Schema>> versions = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                Matcher name = FILE_NAME.matcher(file.getFileName().toString());
                if (!name.matches()) {
                    throw new IllegalStateException("Not a versioned schema file name (<Record>.v<N>.avsc): " + file);
                }
                Schema schema = parse(file);
                if (!schema.getName().equals(name.group("name"))) {
                    throw new IllegalStateException(file + " holds " + schema.getFullName() + ", not " + name.group("name"));
                }
                Schema clash = versions.computeIfAbsent(schema.getFullName(), key -> new TreeMap<>())
                        .put(Integer.parseInt(name.group("version")), schema);
                if (clash != null) {
                    throw new IllegalStateException("Two files for version " + name.group("version") + " of "
                            + schema.getFullName());
                }
            });
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not read the schema history under " + root, ex);
        }
        return new SchemaHistory(versions);
    }

    /** The released versions of {@code fullName}, oldest first; empty if none. */
    public NavigableMap<Integer, Schema> versionsOf(String fullName) {
        return Collections.unmodifiableNavigableMap(versionsByFullName.getOrDefault(fullName, new TreeMap<>()));
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not read " + file, ex);
        }
        catch (RuntimeException ex) {
            throw new IllegalStateException("Could not parse " + file + ": " + ex.getMessage(), ex);
        }
    }
}
