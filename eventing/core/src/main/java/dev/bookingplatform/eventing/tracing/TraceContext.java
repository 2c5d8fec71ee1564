package dev.bookingplatform.eventing.tracing;

import java.util.regex.Pattern;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The W3C {@code traceparent} of the current trace, written with every outbox row, and the way back: while an event
 * is handled, the trace it was written in is current, so what the handler writes carries the same trace id. Read
 * from OpenTelemetry's current span, which Spring Boot's tracing (Micrometer Observation bridged to OpenTelemetry)
 * sets for every request; without OpenTelemetry on the classpath there is no trace and the column stays empty.
 */
public final class TraceContext {

    private static final boolean OPEN_TELEMETRY = isPresent("io.opentelemetry.api.trace.Span");

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

    private TraceContext() {
    }

    /** {@code 00-<trace id>-<span id>-<flags>} of the current span, or null outside any trace. */
    public static @Nullable String currentTraceparent() {
        return OPEN_TELEMETRY ? OpenTelemetryTraces.current() : null;
    }

    /** Makes {@code traceparent}'s trace current until the returned scope closes; a no-op for null or malformed. */
    public static Continued continuing(@Nullable String traceparent) {
        if (!OPEN_TELEMETRY || traceparent == null || !TRACEPARENT.matcher(traceparent).matches()) {
            return () -> { };
        }
        return OpenTelemetryTraces.continuing(traceparent);
    }

    /** A scope that closes without checked exceptions. */
    public interface Continued extends AutoCloseable {

        @Override
        void close();
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, TraceContext.class.getClassLoader());
            return true;
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return false;
        }
    }

    /** The MDC keys Micrometer Tracing logs under, so a handler's lines read like a request's. */
    public static final String TRACE_ID = "traceId";

    public static final String SPAN_ID = "spanId";

    private static void restore(String key, @Nullable String value) {
        if (value == null) {
            MDC.remove(key);
        }
        else {
            MDC.put(key, value);
        }
    }

    /** Kept apart so the OpenTelemetry classes load only when they are there. */
    private static final class OpenTelemetryTraces {

        static @Nullable String current() {
            SpanContext span = Span.current().getSpanContext();
            if (!span.isValid()) {
                return null;
            }
            return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
        }

        static Continued continuing(String traceparent) {
            String[] parts = traceparent.split("-");
            SpanContext remote = SpanContext.createFromRemoteParent(parts[1], parts[2],
                    TraceFlags.fromHex(parts[3], 0), TraceState.getDefault());
            if (!remote.isValid()) {
                return () -> { };
            }
            Scope scope = Context.current().with(Span.wrap(remote)).makeCurrent();
            // Micrometer fills the logging MDC from its own spans only; a handler's lines carry the event's trace too.
            String previousTrace = MDC.get(TRACE_ID);
            String previousSpan = MDC.get(SPAN_ID);
            MDC.put(TRACE_ID, remote.getTraceId());
            MDC.put(SPAN_ID, remote.getSpanId());
            return () -> {
                scope.close();
                restore(TRACE_ID, previousTrace);
                restore(SPAN_ID, previousSpan);
            };
        }
    }
}
