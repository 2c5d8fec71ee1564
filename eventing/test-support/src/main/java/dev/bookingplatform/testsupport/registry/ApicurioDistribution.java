package dev.bookingplatform.testsupport.registry;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Apicurio Registry's server distribution ({@code io.apicurio:apicurio-registry-app:tar.gz:all}), as the
 * build fetched it from Maven Central into the local Maven repository. Unpacked once, next to the archive,
 * and reused by every later run.
 */
public final class ApicurioDistribution {

    public static final String VERSION = "3.0.9";

    /** System property the build sets to the archive's path; see the parent POM. */
    public static final String PROPERTY = "apicurio.distribution";

    private static final String RUNNER = "apicurio-registry-app-" + VERSION + "-runner.jar";

    private final Path archive;

    private ApicurioDistribution(Path archive) {
        this.archive = archive;
    }

    public static ApicurioDistribution locate() {
        String configured = System.getProperty(PROPERTY);
        Path archive = configured != null && !configured.isBlank() ? Path.of(configured) : defaultArchive();
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("Apicurio Registry " + VERSION + " distribution not found at " + archive
                    + ". Maven fetches it from Maven Central when it builds eventing/test-support; run"
                    + " './mvnw -pl eventing/test-support generate-resources' once, or set -D" + PROPERTY);
        }
        return new ApicurioDistribution(archive);
    }

    private static Path defaultArchive() {
        String localRepository = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        return Path.of(localRepository, "io", "apicurio", "apicurio-registry-app", VERSION,
                "apicurio-registry-app-" + VERSION + "-all.tar.gz");
    }

    /** The runnable jar, unpacking the archive first if no earlier run did. */
    public Path runnerJar() {
        Path directory = archive.resolveSibling("apicurio-registry-app-" + VERSION + "-all");
        Path runner = directory.resolve(RUNNER);
        if (Files.isRegularFile(runner)) {
            return runner;
        }
        // Several test JVMs may start at once; one unpacks, the others wait for it.
        Path lockFile = archive.resolveSibling(archive.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            if (!Files.isRegularFile(runner)) {
                unpackAtomically(directory);
            }
            return runner;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not unpack " + archive, ex);
        }
    }

    private void unpackAtomically(Path directory) throws IOException {
        Path staging = Files.createTempDirectory(directory.getParent(), "unpacking-");
        try (InputStream in = new TarArchiveInputStream(
                new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(archive))))) {
            TarArchiveInputStream tar = (TarArchiveInputStream) in;
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = staging.resolve(entry.getName()).normalize();
                if (!target.startsWith(staging)) {
                    throw new IOException("Archive entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                }
                else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
    }
}
