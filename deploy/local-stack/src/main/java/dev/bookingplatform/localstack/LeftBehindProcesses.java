package dev.bookingplatform.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL and registry an earlier stack on the same data directory left running, found through the pids
 * the directory names and stopped before this stack starts its own. {@link DeadMansSwitch} stops them when a stack
 * is killed; this is for when the switch was killed too (a whole process group sent SIGKILL, say). Only called
 * while this JVM holds the directory's lock, so no running stack owns them.
 */
final class LeftBehindProcesses {

    static final String REGISTRY_PID = "registry.pid";

    private LeftBehindProcesses() {
    }

    static void stop(Path dataDirectory, PrintStream out) {
        stop(pid(dataDirectory.resolve(REGISTRY_PID)), "apicurio", "the schema registry", "TERM", out);
        stop(pid(dataDirectory.resolve("postgres").resolve("postmaster.pid")), "postgres", "PostgreSQL", "INT", out);
    }

    private static void stop(Optional<Long> pid, String commandMark, String name, String signal, PrintStream out) {
        Optional<ProcessHandle> process = pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().commandLine().orElse("").contains(commandMark));
        if (process.isEmpty()) {
            return;
        }
        out.printf("  stopping %s left running by an earlier stack on this directory (pid %d) ...%n", name, process.get().pid());
        // PostgreSQL's fast shutdown (SIGINT) ends any session still open, as a smart one (SIGTERM) would wait for it.
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.get().pid())).start().waitFor(10, TimeUnit.SECONDS);
        }
        catch (IOException noKillCommand) {
            process.get().destroy();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.get().destroy();
        }
        try {
            process.get().onExit().get(60, TimeUnit.SECONDS);
        }
        catch (java.util.concurrent.TimeoutException stuck) {
            process.get().destroyForcibly();
        }
        catch (java.util.concurrent.ExecutionException | InterruptedException ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Could not stop " + name + " (pid " + process.get().pid() + ")", ex);
        }
    }

    /** The pid a pid file names on its first line, if it names one. */
    static Optional<Long> pid(Path file) {
        try {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        }
        catch (IOException | NumberFormatException unreadable) {
            return Optional.empty();
        }
    }
}
