package dev.bookingplatform.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Stops the stack's PostgreSQL, registry and further service replicas when the stack's JVM dies without stopping them (SIGKILL, the OOM
 * killer): they are processes of their own, and once outlived the JVM holding ports 15432 and 8085, so the next
 * start refused. A small shell reads from a pipe this JVM holds: the pid of each piece as it starts. The kernel
 * closes the pipe however the JVM ends, and then the shell stops every piece still running (its command line
 * checked first): PostgreSQL with a fast shutdown (SIGINT), the registry with SIGTERM; a temporary data directory
 * is deleted once PostgreSQL is gone. An orderly stop closes the pipe too, after stopping the pieces itself, so
 * the shell finds nothing left, or stops what a failed step left. Ctrl-C reaches the shell too: it ignores it.
 */
final class DeadMansSwitch implements AutoCloseable {

    private static final String SCRIPT = """
            trap '' INT HUP
            dir=$1
            postgres=
            registry=
            replicas=
            while read -r piece pid; do
              case "$piece" in
                postgres) postgres=$pid ;;
                registry) registry=$pid ;;
                replica) replicas="$replicas $pid" ;;
              esac
            done
            ours() { command -v ps >/dev/null 2>&1 || return 0; case "$(ps -o args= -p "$1" 2>/dev/null)" in *"$2"*) return 0;; esac; return 1; }
            for pid in $replicas; do
              if ours "$pid" dev.bookingplatform; then kill -KILL "$pid" 2>/dev/null; fi
            done
            if [ -n "$registry" ] && ours "$registry" apicurio; then kill -TERM "$registry" 2>/dev/null; fi
            if [ -n "$postgres" ] && ours "$postgres" postgres; then kill -INT "$postgres" 2>/dev/null; fi
            if [ "$2" = temporary ]; then
              n=0
              while [ -n "$postgres" ] && kill -0 "$postgres" 2>/dev/null && [ "$n" -lt 600 ]; do sleep 0.1; n=$((n+1)); done
              rm -rf "$dir"
            fi
            """;

    private final Process shell;

    private DeadMansSwitch(Process shell) {
        this.shell = shell;
    }

    /** Armed before PostgreSQL starts, so a kill at any moment after it is covered. */
    static DeadMansSwitch arm(Path dataDirectory, boolean temporary) {
        try {
            Process shell = new ProcessBuilder("sh", "-c", SCRIPT, "local-stack-dead-mans-switch", dataDirectory.toString(),
                    temporary ? "temporary" : "kept")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return new DeadMansSwitch(shell);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not start the shell that stops PostgreSQL and the registry if this JVM is killed"
                    + " (is sh on the PATH?): " + ex.getMessage(), ex);
        }
    }

    /**
     * Names a piece that now runs ({@code postgres}, {@code registry}, a service {@code replica}, of which there may
     * be several), so the shell can stop it. A replica is killed outright, as the stack was: the services are made to
     * survive that.
     */
    synchronized void watch(String piece, long pid) {
        try {
            OutputStream in = shell.getOutputStream();
            in.write((piece + " " + pid + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
        }
        catch (IOException gone) {
            throw new IllegalStateException("The shell that stops " + piece + " if this JVM is killed has gone", gone);
        }
    }

    /** After an orderly stop: the shell stops whatever a failed step left running, then ends. */
    @Override
    public synchronized void close() {
        try {
            shell.getOutputStream().close();
        }
        catch (IOException alreadyGone) {
            // The shell is gone; nothing is left for it to do.
        }
        try {
            if (!shell.waitFor(30, TimeUnit.SECONDS)) {
                shell.destroyForcibly();
            }
        }
        catch (InterruptedException ex) {
            shell.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
