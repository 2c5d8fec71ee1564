package dev.bookingplatform.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Stops the stack's PostgreSQL and registry when the stack's JVM dies without stopping them (SIGKILL, the OOM
 * killer): they are processes of their own, and once outlived the JVM holding ports 15432 and 8085, so the next
 * start refused. A small shell waits on a pipe from this JVM. The kernel closes the pipe however the JVM ends;
 * unless the stack wrote "stop" first (an orderly stop, which stops them itself), the shell reads the pids the data
 * directory names at that moment and stops them: PostgreSQL with a fast shutdown (SIGINT), the registry with
 * SIGTERM, and a temporary data directory is deleted once PostgreSQL is gone. Ctrl-C reaches the shell too: it
 * ignores it and leaves the stop to the stack.
 */
final class DeadMansSwitch implements AutoCloseable {

    private static final String SCRIPT = """
            trap '' INT HUP
            if read -r word && [ "$word" = stop ]; then exit 0; fi
            dir=$1
            ours() { command -v ps >/dev/null 2>&1 || return 0; case "$(ps -o args= -p "$1" 2>/dev/null)" in *"$2"*) return 0;; esac; return 1; }
            registry=$(cat "$dir/registry.pid" 2>/dev/null)
            if [ -n "$registry" ] && ours "$registry" apicurio; then kill -TERM "$registry" 2>/dev/null; fi
            postgres=$(head -n 1 "$dir/postgres/postmaster.pid" 2>/dev/null)
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

    /** An orderly stop: the stack has stopped everything itself. */
    @Override
    public void close() {
        try (OutputStream in = shell.getOutputStream()) {
            in.write("stop\n".getBytes(StandardCharsets.US_ASCII));
        }
        catch (IOException alreadyGone) {
            // The shell is gone; nothing is left for it to do.
        }
        try {
            if (!shell.waitFor(5, TimeUnit.SECONDS)) {
                shell.destroyForcibly();
            }
        }
        catch (InterruptedException ex) {
            shell.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
