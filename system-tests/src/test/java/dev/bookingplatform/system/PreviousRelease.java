package dev.bookingplatform.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service as it was built before its newest schema migration: the release a rolling upgrade replaces. Found in git
 * (the parent of the commit that added the migration; {@code HEAD} while the migration is not committed yet), checked
 * out in a worktree of its own and packaged there with the Maven wrapper, once: the jar is kept in {@code target}.
 */
final class PreviousRelease {

    private static final Logger log = LoggerFactory.getLogger(PreviousRelease.class);

    /** The repository's root: system-tests' parent, where Maven runs these tests. */
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getFileName().toString().equals("system-tests")
            ? Path.of("..").toAbsolutePath().normalize() : Path.of("").toAbsolutePath();

    private static final Pattern VERSION = Pattern.compile("^V(\\d+)__.*\\.sql$");

    private PreviousRelease() {
    }

    /** The newest migration of {@code module} (e.g. {@code booking-service}) under {@code src/main/resources/db/<name>}. */
    static Path newestMigration(String module) throws IOException {
        try (Stream<Path> files = Files.walk(REPOSITORY.resolve(module).resolve("src/main/resources/db"))) {
            return files.filter(file -> VERSION.matcher(file.getFileName().toString()).matches())
                    .max(Comparator.comparingInt(PreviousRelease::version))
                    .orElseThrow(() -> new IllegalStateException(module + " has no migrations"));
        }
    }

    /** The commit {@code module}'s newest migration was not yet part of. */
    static String commitBefore(Path migration) throws IOException, InterruptedException {
        if (git("rev-parse", "--is-shallow-repository").get(0).equals("true")) {
            throw new IllegalStateException("The previous release is found in git history, and this clone is shallow: "
                    + "git fetch --unshallow, or clone without --depth");
        }
        List<String> adding = git("log", "--diff-filter=A", "--format=%H", "--", REPOSITORY.relativize(migration).toString());
        return adding.isEmpty() ? git("rev-parse", "HEAD").get(0) : git("rev-parse", adding.get(adding.size() - 1) + "^").get(0);
    }

    /** The executable jar of {@code module} as built at {@code commit}, built now if not kept from an earlier run. */
    static Path executableJar(String module, String commit) throws IOException, InterruptedException {
        Path kept = REPOSITORY.resolve("system-tests/target/previous-release").resolve(module + "-" + commit.substring(0, 12) + ".jar");
        if (Files.isRegularFile(kept)) {
            return kept;
        }
        Files.createDirectories(kept.getParent());
        Path tree = Files.createTempDirectory("previous-release-");
        log.info("Building {} at {} in {} (the release before its newest migration)", module, commit, tree);
        git("worktree", "add", "--detach", "--force", tree.toString(), commit);
        try {
            List<String> build = new ArrayList<>(List.of(tree.resolve("mvnw").toString(), "-q", "-B", "-pl", module, "-am", "package",
                    "-Dmaven.test.skip=true", "-Djib.skip=true"));
            String localRepository = System.getProperty("maven.repo.local");
            if (localRepository != null) {
                build.add("-Dmaven.repo.local=" + localRepository);
            }
            run(tree, build, 900);
            try (Stream<Path> jars = Files.list(tree.resolve(module).resolve("target"))) {
                Path jar = jars.filter(file -> file.getFileName().toString().endsWith("-exec.jar")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("No executable jar of " + module + " built at " + commit));
                // Copied aside, then moved: a run killed mid-copy never leaves a half jar that later runs would take.
                Path copying = Files.createTempFile(kept.getParent(), module, ".part");
                Files.copy(jar, copying, StandardCopyOption.REPLACE_EXISTING);
                Files.move(copying, kept, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        finally {
            try {
                git("worktree", "remove", "--force", tree.toString());
            }
            catch (IOException | RuntimeException cleanup) {
                log.warn("Could not remove the worktree {}: {}", tree, cleanup.getMessage());
            }
        }
        return kept;
    }

    private static int version(Path migration) {
        Matcher matcher = VERSION.matcher(migration.getFileName().toString());
        return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    private static List<String> git(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", REPOSITORY.toString()));
        command.addAll(List.of(arguments));
        return run(REPOSITORY, command, 60);
    }

    private static List<String> run(Path directory, List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path output = Files.createTempFile("previous-release-", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took more than " + timeoutSeconds + " s");
            }
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            return lines;
        }
        finally {
            Files.deleteIfExists(output);
        }
    }
}
