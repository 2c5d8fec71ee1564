package dev.bookingplatform.system.localstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./local-stack} as a separate process: the same JVM, flags, classpath and main class the script
 * starts once Maven has built {@code deploy/local-stack}, with its console captured line by line.
 */
final class LocalStackProcess {

    private static final Path MODULE = Path.of("..", "deploy", "local-stack", "target");

    private final Process process;

    private final List<String> console = new CopyOnWriteArrayList<>();

    private LocalStackProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readConsole, "local-stack-console");
        reader.setDaemon(true);
        reader.start();
    }

    static LocalStackProcess start(String... options) throws IOException {
        Path classpath = MODULE.resolve("runtime.classpath");
        assertThat(classpath).as("deploy/local-stack must be packaged first (./mvnw verify does)").exists();
        List<String> command = new ArrayList<>();
        if (interruptIgnoredHere()) {
            // Started in the background of a script, this JVM ignores SIGINT and so would its child; a
            // terminal never does, so restore what a user's shell gives the command.
            command.addAll(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        String apicurio = System.getProperty("apicurio.distribution");
        if (apicurio != null && !apicurio.isBlank()) {
            command.add("-Dapicurio.distribution=" + apicurio);
        }
        command.addAll(List.of("-cp", MODULE.resolve("classes").toAbsolutePath() + ":" + Files.readString(classpath).trim(),
                "dev.bookingplatform.localstack.LocalStack"));
        command.addAll(List.of(options));
        return new LocalStackProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits for the ready line, failing early with the console if the stack dies first. */
    void awaitReady(String readyLine, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(process.isAlive()).as("the local stack exited early; its console:%n%s", console()).isTrue();
            return console.stream().anyMatch(line -> line.startsWith(readyLine));
        });
    }

    /** The value printed after {@code label} in the ready report, e.g. the booking API's URL. */
    String reported(String label) {
        Pattern pattern = Pattern.compile("^  " + Pattern.quote(label) + "\\s+(\\S+).*$");
        return console.stream().map(pattern::matcher).filter(Matcher::matches).map(matcher -> matcher.group(1)).findFirst()
                .orElseThrow(() -> new AssertionError("No '" + label + "' in the ready report:\n" + console()));
    }

    /** What the stack tells its user to {@code source} ({@code tokens.env}), read as the shell would. */
    static java.util.Map<String, String> tokens(Path dataDirectory) throws IOException {
        java.util.Map<String, String> tokens = new java.util.HashMap<>();
        for (String line : Files.readAllLines(dataDirectory.resolve("tokens.env"))) {
            String[] assignment = line.replaceFirst("^export ", "").split("=", 2);
            tokens.put(assignment[0], assignment[1]);
        }
        return tokens;
    }

    String console() {
        return String.join("\n", console);
    }

    Process process() {
        return process;
    }

    /**
     * The stack's process and every process it started: its descendants, and PostgreSQL's, which detaches
     * from its parent ({@code pg_ctl} daemonizes it) and is found by the data directory on its command line.
     */
    List<ProcessHandle> processTree(Path dataDirectory) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(handle -> handle.info().commandLine().orElse("").contains(dataDirectory.toString()))
                    .filter(handle -> !tree.contains(handle))
                    .forEach(postmaster -> {
                        tree.add(postmaster);
                        postmaster.descendants().forEach(tree::add);
                    });
        }
        return tree;
    }

    /** What Ctrl-C in a terminal sends. */
    void interrupt() throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor()).isZero();
    }

    private void readConsole() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(console::add);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Bit 2 of the ignored-signals mask is SIGINT. */
    private static boolean interruptIgnoredHere() throws IOException {
        Optional<String> mask = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("SigIgn:")).map(line -> line.substring(7).trim()).findFirst();
        return mask.isPresent() && (Long.parseLong(mask.get(), 16) & 0b10) != 0;
    }
}
