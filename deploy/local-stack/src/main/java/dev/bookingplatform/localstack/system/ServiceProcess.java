package dev.bookingplatform.localstack.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bookingplatform.testsupport.postgres.PostgresDatabase;
import dev.bookingplatform.testsupport.process.JvmClasspath;

/**
 * A service in a JVM of its own, started from this JVM's classpath with the same arguments an in-JVM service
 * gets, so a test can {@link #kill} it with SIGKILL (no shutdown hook, no last commit) and {@link #restart} it on
 * the same port and database. Its output goes to a log file named in errors.
 */
public final class ServiceProcess implements RunningService {

    private static final Logger log = LoggerFactory.getLogger(ServiceProcess.class);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    private final String name;

    private final String mainClass;

    /** Where the JVM finds its classes: this JVM's classpath, or another version's executable jar. */
    private final String classpath;

    private final List<String> arguments;

    private final int port;

    private final PostgresDatabase database;

    private final Path logFile;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Not behind the process's lock: a test reads the database while the service restarts. */
    private final DataSource dataSource;

    private volatile Process process;

    private int starts;

    private ServiceProcess(String name, String mainClass, String classpath, List<String> arguments, int port, PostgresDatabase database,
            Path logFile) {
        this.name = name;
        this.mainClass = mainClass;
        this.classpath = classpath;
        this.arguments = List.copyOf(arguments);
        this.port = port;
        this.database = database;
        this.dataSource = database.dataSource();
        this.logFile = logFile;
    }

    /** Starts {@code mainClass} in a new JVM and waits until its readiness probe answers UP. */
    static ServiceProcess start(String name, Class<?> mainClass, List<String> arguments, int port, PostgresDatabase database) {
        ServiceProcess service = startWithoutWaiting(name, mainClass, arguments, port, database);
        service.awaitReady();
        return service;
    }

    /**
     * The same without waiting: the system starts its services' JVMs side by side, then {@link #awaitReady() waits}
     * for each (JVMs that start one after another leave a core idle while each waits on its database and broker).
     */
    static ServiceProcess startWithoutWaiting(String name, Class<?> mainClass, List<String> arguments, int port,
            PostgresDatabase database) {
        return spawn(name, mainClass.getName(), JvmClasspath.of(ServiceProcess.class), arguments, port, database);
    }

    /** Starts the Spring Boot executable jar {@code jar} (another build of the service) the same way. */
    static ServiceProcess startJar(String name, Path jar, List<String> arguments, int port, PostgresDatabase database) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("No executable jar at " + jar);
        }
        ServiceProcess service = spawn(name, "org.springframework.boot.loader.launch.JarLauncher", jar.toAbsolutePath().toString(),
                arguments, port, database);
        service.awaitReady();
        return service;
    }

    private static ServiceProcess spawn(String name, String mainClass, String classpath, List<String> arguments, int port,
            PostgresDatabase database) {
        try {
            Path logs = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "booking-system-processes"));
            ServiceProcess service = new ServiceProcess(name, mainClass, classpath, arguments, port, database,
                    logs.resolve(name + "-" + ProcessHandle.current().pid() + "-" + port + ".log"));
            service.launch();
            return service;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name + " in its own JVM", e);
        }
    }

    private synchronized void launch() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(JvmClasspath.javaLauncher());
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        // A test JVM run with C1 alone (it starts Spring contexts faster) starts its services' JVMs the same way; a
        // benchmark's JVM, with the full JIT, gives them the full JIT.
        if (ManagementFactory.getRuntimeMXBean().getInputArguments().contains(C1_ONLY)) {
            command.add(C1_ONLY);
        }
        // The classpath may hold the local stack's logback.xml, whose files default to the working directory: beside
        // this JVM's own output instead.
        String base = logFile.getFileName().toString().replaceFirst("\\.log$", "");
        command.add("-Dlocalstack.log.file=" + logFile.resolveSibling(base + "-app.log"));
        command.add("-Dlocalstack.json.log.file=" + logFile.resolveSibling(base + "-app.json"));
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        starts++;
        log.info("Starting {} in its own JVM (start {}), log {}", name, starts, logFile);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // In the environment, not on the command line: ps shows every user the arguments, and these hold the
        // token key and the database password.
        builder.environment().put("SPRING_APPLICATION_JSON", asJson(arguments));
        Process started = builder.start();
        // A JVM that ends without closing the system (a benchmark stopped with Ctrl-C) takes its services along: a
        // SIGTERM, as a stop would send, so a clean shutdown of the system still stops its services cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, name + "-ends-with-its-parent"));
        process = started;
    }

    /** {@code --name=value} arguments as the flat JSON object Spring Boot reads from SPRING_APPLICATION_JSON. */
    static String asJson(List<String> arguments) {
        StringBuilder json = new StringBuilder("{");
        for (String argument : arguments) {
            String[] property = argument.replaceFirst("^--", "").split("=", 2);
            json.append(json.length() > 1 ? "," : "").append(quoted(property[0])).append(':')
                    .append(quoted(property.length > 1 ? property[1] : ""));
        }
        return json.append('}').toString();
    }

    private static String quoted(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    /** Waits until the JVM's readiness probe answers UP; fails if it exits or is not ready within three minutes. */
    void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(url().resolve("/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting; see " + logFile);
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    log.info("{} is ready in its own JVM (pid {})", name, process.pid());
                    return;
                }
            }
            catch (IOException notYet) {
                // not listening yet
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(250);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " was not ready within " + READY_TIMEOUT + "; see " + logFile);
    }

    /** Whether its JVM runs (false after {@link #kill}, until {@link #restart}). */
    public synchronized boolean isAlive() {
        return process.isAlive();
    }

    /** The JVM's process id, while it runs. */
    public synchronized long pid() {
        return process.pid();
    }

    /** Where the JVM's output goes, across restarts. */
    public Path logFile() {
        return logFile;
    }

    /** SIGKILL: the JVM ends at once, mid-call or mid-commit, as a crash or an OOM kill would end it. */
    public synchronized void kill() {
        log.warn("Killing {} (pid {}) with SIGKILL", name, process.pid());
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the service again, same port, same database, same arguments; waits until it is ready. */
    public synchronized void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running (pid " + process.pid() + ")");
        }
        try {
            launch();
            awaitReady();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not restart " + name, e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public URI url() {
        return URI.create("http://localhost:" + port);
    }

    @Override
    public PostgresDatabase database() {
        return database;
    }

    @Override
    public DataSource dataSource() {
        return dataSource;
    }

    /** SIGTERM, so the service shuts down in order; SIGKILL if it has not within 30 s. */
    @Override
    public synchronized void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + " (own JVM, pid " + (process == null ? "-" : process.pid()) + ", port " + port + ", log " + logFile
                + ")";
    }
}
