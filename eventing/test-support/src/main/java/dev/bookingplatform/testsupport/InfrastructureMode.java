package dev.bookingplatform.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.testcontainers.DockerClientFactory;

/**
 * How the shared infrastructure runs: on containers when a Docker engine answers, embedded otherwise.
 *
 * <p>The system property or environment variable {@value #PROPERTY} ({@code auto}, {@code containers},
 * {@code embedded}) forces a mode, e.g. to run the embedded variant on a laptop that has Docker.
 */
public enum InfrastructureMode {

    CONTAINERS, EMBEDDED;

    public static final String PROPERTY = "bookingplatform.infrastructure";

    static InfrastructureMode detect() {
        String requested = System.getProperty(PROPERTY, System.getenv("BOOKINGPLATFORM_INFRASTRUCTURE"));
        if (requested == null || requested.isBlank() || requested.equalsIgnoreCase("auto")) {
            return dockerAnswers() ? CONTAINERS : EMBEDDED;
        }
        try {
            return valueOf(requested.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException(PROPERTY + " must be auto, containers or embedded, not '" + requested + "'", ex);
        }
    }

    private static boolean dockerAnswers() {
        if (!dockerConfigured()) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException | LinkageError ex) {
            return false;
        }
    }

    /** Spares Testcontainers' noisy probe on machines that have no Docker engine configured at all. */
    private static boolean dockerConfigured() {
        return System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
    }
}
