package dev.bookingplatform.stripesim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;

/**
 * The simulated account's memory across restarts of the process that runs it, as a real Stripe account outlives
 * any crash of ours. Without it a local stack killed with SIGKILL came back to a Stripe that had forgotten the
 * sessions its customers were about to pay. Every change (a session's or refund's new state, an event, a kept
 * idempotent answer) is one JSON line with a sequence number taken while the ledger holds its lock. The changes of
 * one request are written together, and before anyone is told of them: the API answer, the checkout page and the
 * webhooks wait for the write. On start the lines are read back in sequence order; a line cut short by the kill
 * is skipped, as nobody was told of it.
 */
final class StripeJournal implements AutoCloseable {

    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(Instant.class, (JsonSerializer<Instant>) (instant, type, context) -> new JsonPrimitive(instant.toString()))
            .registerTypeAdapter(Instant.class, (JsonDeserializer<Instant>) (json, type, context) -> Instant.parse(json.getAsString()))
            .create();

    /** What a request changed, written when it ends; actions that tell others of the change run after the write. */
    private final ThreadLocal<@Nullable Pending> pending = new ThreadLocal<>();

    private final AtomicLong sequence = new AtomicLong();

    private final @Nullable Path file;

    private final @Nullable Writer out;

    private StripeJournal(@Nullable Path file, @Nullable Writer out) {
        this.file = file;
        this.out = out;
    }

    /** A simulator that forgets everything when it stops (tests, the default). */
    static StripeJournal none() {
        return new StripeJournal(null, null);
    }

    /** Appends every change to {@code file}; {@link #replayInto} first reads what an earlier run left there. */
    static StripeJournal open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (endsMidLine(file)) {
                // Ends the line a kill cut short, so the next change starts a line of its own.
                out.write("\n");
                out.flush();
            }
            return new StripeJournal(file, out);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write the simulator's journal " + file, ex);
        }
    }

    private static boolean endsMidLine(Path file) throws IOException {
        try (java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(file)) {
            if (channel.size() == 0) {
                return false;
            }
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            channel.position(channel.size() - 1).read(last);
            return last.get(0) != '\n';
        }
    }

    /** Hands every change the file holds to {@code into}, in the order they happened. Before the first request. */
    void replayInto(Replay into) {
        if (file != null) {
            sequence.set(read(file, into));
        }
    }

    /** Where a replayed change goes. */
    interface Replay {

        void session(CheckoutSession session);

        void refund(Refund refund);

        void event(JsonObject event);

        void answer(String key, int status, String body, String request);
    }

    void session(CheckoutSession session) {
        record("session", GSON.toJsonTree(session));
    }

    void refund(Refund refund) {
        record("refund", GSON.toJsonTree(refund));
    }

    void event(JsonObject event) {
        record("event", event);
    }

    void answer(String key, int status, String body, String request) {
        JsonObject answer = new JsonObject();
        answer.addProperty("key", key);
        answer.addProperty("status", status);
        answer.addProperty("body", body);
        answer.addProperty("request", request);
        record("answer", answer);
    }

    /** Runs {@code action} (a webhook, say) once the current request's changes are written; now, outside one. */
    void afterWrite(Runnable action) {
        Pending open = pending.get();
        if (open == null) {
            action.run();
        }
        else {
            open.actions.add(action);
        }
    }

    /** From here to {@link #endRequest()}, this thread's changes are written together. */
    void beginRequest() {
        pending.set(new Pending());
    }

    /** Writes this thread's changes since {@link #beginRequest()}, then runs what waited for them. */
    void endRequest() {
        Pending open = pending.get();
        pending.remove();
        if (open == null) {
            return;
        }
        write(open.lines);
        open.actions.forEach(Runnable::run);
    }

    private void record(String type, JsonElement value) {
        if (out == null) {
            return;
        }
        JsonObject line = new JsonObject();
        line.addProperty("seq", sequence.incrementAndGet());
        line.addProperty("type", type);
        line.add("value", value);
        Pending open = pending.get();
        if (open == null) {
            write(List.of(line.toString()));
        }
        else {
            open.lines.add(line.toString());
        }
    }

    private synchronized void write(List<String> lines) {
        if (out == null || lines.isEmpty()) {
            return;
        }
        try {
            // One write for the request's lines: a kill leaves all of them, or a last line cut short.
            out.write(String.join("\n", lines) + "\n");
            out.flush();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot append to the simulator's journal", ex);
        }
    }

    private static long read(Path file, Replay into) {
        List<JsonObject> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                try {
                    lines.add(JsonParser.parseString(text).getAsJsonObject());
                }
                catch (JsonParseException | IllegalStateException cutShort) {
                    // The last line of a process killed mid-write: nobody was told of its change.
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the simulator's journal " + file, ex);
        }
        lines.sort(Comparator.comparingLong(line -> line.get("seq").getAsLong()));
        for (JsonObject line : lines) {
            JsonElement value = line.get("value");
            switch (line.get("type").getAsString()) {
                case "session" -> into.session(GSON.fromJson(value, CheckoutSession.class));
                case "refund" -> into.refund(GSON.fromJson(value, Refund.class));
                case "event" -> into.event(value.getAsJsonObject());
                case "answer" -> {
                    JsonObject answer = value.getAsJsonObject();
                    into.answer(answer.get("key").getAsString(), answer.get("status").getAsInt(), answer.get("body").getAsString(),
                            answer.get("request").getAsString());
                }
                default -> throw new IllegalStateException("Unknown journal line in " + file + ": " + line);
            }
        }
        return lines.isEmpty() ? 0 : lines.get(lines.size() - 1).get("seq").getAsLong();
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            }
            catch (IOException ignored) {
                // Everything was flushed line by line; nothing is lost by a failed close.
            }
        }
    }

    private static final class Pending {

        final List<String> lines = new ArrayList<>();

        final List<Runnable> actions = new ArrayList<>();
    }
}
