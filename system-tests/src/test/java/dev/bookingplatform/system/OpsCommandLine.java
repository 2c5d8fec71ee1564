package dev.bookingplatform.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/ops-cli/BookingOps.java}, compiled once (each launch of the source file would compile it again, a
 * second or more on a busy machine), run with a token and a deadline: a command that hangs is killed, not waited for.
 */
public final class OpsCommandLine {

    public static final String JAVA = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";

    public static final File SOURCE = new File("../deploy/ops-cli/BookingOps.java");

    public static final Path CLASSES = compiled();

    /** What a command printed (standard output and error) and how it ended. */
    public record Run(int status, String output) {
    }

    private OpsCommandLine() {
    }

    /** The command's process, its output read as it comes: for {@code serve}, which runs until stopped. */
    public static Process start(String opsToken, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-cp", CLASSES.toString(), "BookingOps"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OPS_TOKEN", opsToken);
        return builder.start();
    }

    public static Run run(String opsToken, String... arguments) throws Exception {
        Process process = start(opsToken, List.of(arguments));
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("BookingOps " + String.join(" ", arguments) + " did not end within 60 s");
        }
        return new Run(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    }

    private static Path compiled() {
        try {
            Path classes = Files.createTempDirectory("booking-ops-cli");
            int status = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                    SOURCE.getCanonicalPath());
            assertThat(status).as("javac of " + SOURCE).isZero();
            return classes;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
