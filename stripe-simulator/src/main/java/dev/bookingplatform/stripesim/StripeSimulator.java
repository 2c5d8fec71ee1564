package dev.bookingplatform.stripesim;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Stripe: the REST endpoints payment-service's stripe-java adapter calls ({@code /v1/checkout/sessions},
 * {@code /v1/refunds}, {@code /v1/events}), a checkout page at {@code /checkout/<session>} whose buttons pay,
 * pay by a delayed method or decline, and signed webhooks to the endpoint set with {@link #webhookEndpoint}.
 * It keeps Stripe's rules that matter here (see {@code StripeLedger}), replays an {@code Idempotency-Key} and
 * refuses one reused with other parameters, and rate-limits the API (25 requests/s by default, as test mode
 * does). Faults can be injected: 500s, slow responses, refunds that stay pending or are refused, dropped webhooks.
 */
public final class StripeSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StripeSimulator.class);

    private final HttpServer server;

    /**
     * Enough threads for Stripe's latency at a benchmark's rate: each call holds one for its whole delay (256 at
     * 300 ms is about 850 calls a second); idle ones end after 30 s.
     */
    private final ThreadPoolExecutor requestThreads = requestThreads(256);

    private final ScheduledExecutorService expirySweeper = Executors.newSingleThreadScheduledExecutor();

    private final StripeLedger ledger;

    private final WebhookSender webhooks;

    private final Map<String, Answer> idempotentAnswers = new ConcurrentHashMap<>();

    private final java.util.concurrent.atomic.AtomicInteger repeatedCalls = new java.util.concurrent.atomic.AtomicInteger();

    private final EventLog eventLog = new EventLog();

    private final java.util.Set<String> keysInFlight = ConcurrentHashMap.newKeySet();

    private final java.util.List<JsonObject> droppedWebhooks = new java.util.ArrayList<>();

    private final RateLimiter rateLimiter;

    private volatile boolean dropWebhooks;

    private volatile boolean outage;

    private volatile java.time.Duration responseDelay = java.time.Duration.ZERO;

    private volatile StripeLatency latency = StripeLatency.NONE;

    private final Random latencyDraws = new Random(7);

    private final java.util.concurrent.atomic.AtomicInteger callsInFlight = new java.util.concurrent.atomic.AtomicInteger();

    private final Random faults = new Random(42);

    private volatile @Nullable URI webhookEndpoint;

    private volatile double failureRate;

    private boolean failNext;

    private final java.util.concurrent.atomic.AtomicInteger injectedFailures = new java.util.concurrent.atomic.AtomicInteger();

    private final StripeJournal journal;

    private StripeSimulator(HttpServer server, String webhookSecret, Clock clock, java.nio.file.@Nullable Path journalFile) {
        this.server = server;
        String base = "http://localhost:" + server.getAddress().getPort();
        // Signatures carry real time: Stripe signs when it sends, and the receiver checks against its own clock.
        this.webhooks = new WebhookSender(() -> webhookEndpoint, webhookSecret, Clock.systemUTC());
        this.rateLimiter = new RateLimiter(25);
        this.journal = journalFile == null ? StripeJournal.none() : StripeJournal.open(journalFile);
        this.ledger = new StripeLedger(base, clock, this::announce, journal);
        journal.replayInto(new StripeJournal.Replay() {

            @Override
            public void session(CheckoutSession session) {
                ledger.restore(session);
            }

            @Override
            public void refund(Refund refund) {
                ledger.restore(refund);
            }

            @Override
            public void event(JsonObject event) {
                eventLog.add(event);
            }

            @Override
            public void answer(String key, int status, String body, String request) {
                idempotentAnswers.put(key, new Answer(status, body, request));
            }
        });
    }

    private void announce(JsonObject event) {
        eventLog.add(event);
        journal.event(event);
        if (dropWebhooks) {
            synchronized (droppedWebhooks) {
                droppedWebhooks.add(event);
            }
            return;
        }
        journal.afterWrite(() -> webhooks.send(event.get("id").getAsString(), event.get("type").getAsString(), event.toString()));
    }

    /** Starts on loopback {@code port} (0: any free port), signing webhooks with {@code webhookSecret}. */
    public static StripeSimulator start(int port, String webhookSecret) {
        return start("127.0.0.1", port, webhookSecret);
    }

    /** Starts on {@code bindAddress} (e.g. {@code 0.0.0.0} in a container) and {@code port}. */
    public static StripeSimulator start(String bindAddress, int port, String webhookSecret) {
        return start(bindAddress, port, webhookSecret, Clock.systemUTC());
    }

    /** Starts with {@code clock} as the account's time (session expiry, event {@code created}): a test's movable clock. */
    public static StripeSimulator start(String bindAddress, int port, String webhookSecret, Clock clock) {
        return start(bindAddress, port, webhookSecret, clock, null);
    }

    /**
     * Starts keeping the account in {@code journal} (null: in memory only): a simulator started again on the same
     * file has every session, refund, event and idempotent answer of the last one, however that one ended.
     */
    public static StripeSimulator start(String bindAddress, int port, String webhookSecret, Clock clock,
            java.nio.file.@Nullable Path journal) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 1024);
            StripeSimulator simulator = new StripeSimulator(server, webhookSecret, clock, journal);
            server.createContext("/v1/", simulator::api);
            server.createContext("/checkout/", simulator::checkout);
            server.setExecutor(simulator.requestThreads);
            server.start();
            simulator.expirySweeper.scheduleWithFixedDelay(simulator::sweep, 1, 1, TimeUnit.SECONDS);
            log.info("Stripe simulator listening on {}", simulator.apiBase());
            return simulator;
        }
        catch (IOException e) {
            throw new IllegalStateException("Stripe simulator could not listen on port " + port, e);
        }
    }

    /** The base URL to give stripe-java ({@code setApiBase}). */
    public URI apiBase() {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    /** Where webhooks go: payment-service's {@code /webhooks/stripe}. Until set, deliveries fail and are retried. */
    public void webhookEndpoint(URI endpoint) {
        this.webhookEndpoint = endpoint;
    }

    /**
     * Share of API calls (0..1) answered with a 500, half of them after the call took effect (a lost response). The
     * first POST after a nonzero rate is set fails for certain, after taking effect: a short run at a low rate would
     * otherwise inject nothing now and then, and prove nothing.
     */
    public synchronized void failureRate(double rate) {
        this.failureRate = rate;
        this.failNext = rate > 0;
    }

    /** How many API calls were answered with an injected 500 so far. */
    public int injectedFailures() {
        return injectedFailures.get();
    }

    /**
     * API calls that repeated an earlier call's {@code Idempotency-Key}: answered from the first call's result, or 409
     * while the first was still executing. Each is a call the platform made twice (a retry, or two replicas at once).
     */
    public int repeatedCalls() {
        return repeatedCalls.get();
    }

    /** What the checkout page's "Pay" button does. */
    public CheckoutSession pay(String sessionId) {
        return ledger.pay(sessionId);
    }

    /** API requests per second above which Stripe answers 429 (test mode: 25); 0 for no limit. */
    public void rateLimit(int requestsPerSecond) {
        rateLimiter.limit(requestsPerSecond);
    }

    /** How many API calls were answered 429 so far. */
    public int rateLimited() {
        return rateLimiter.refused();
    }

    /** Holds every API answer this long after the call took effect: a slow or, past the client's timeout, lost response. */
    public void responseDelay(java.time.Duration delay) {
        this.responseDelay = delay;
    }

    /**
     * How long every API call takes before it is answered (after it took effect, as with Stripe: a client that
     * times out may find the call made). {@link StripeLatency#NONE} by default.
     */
    public void latency(StripeLatency callLatency) {
        this.latency = callLatency;
    }

    public StripeLatency latency() {
        return latency;
    }

    /** API calls taking effect or waiting out their latency right now. */
    public int callsInFlight() {
        return callsInFlight.get();
    }

    /** While true, Stripe is down: every API call is answered 503 and takes no effect, replays included. */
    public void outage(boolean down) {
        this.outage = down;
    }

    /** While true, events are recorded (and listed by {@code GET /v1/events}) but no webhook is sent. */
    public void dropWebhooks(boolean drop) {
        this.dropWebhooks = drop;
    }

    /** Sends the webhooks dropped so far, late, as Stripe's retries would. */
    public int deliverDroppedWebhooks() {
        List<JsonObject> late;
        synchronized (droppedWebhooks) {
            late = List.copyOf(droppedWebhooks);
            droppedWebhooks.clear();
        }
        late.forEach(event -> webhooks.send(event.get("id").getAsString(), event.get("type").getAsString(), event.toString()));
        return late.size();
    }

    /** Every event the account produced, oldest first (as JSON text). */
    public List<String> events() {
        return eventLog.all().stream().map(JsonObject::toString).toList();
    }

    /** What new refunds do: succeed at once (default), stay pending until {@link #settleRefund}, or be refused. */
    public void refundMode(String mode) {
        ledger.refundMode(StripeLedger.RefundMode.valueOf(mode));
    }

    /** Settles a pending refund: succeeded, or failed later as a closed card makes it. */
    public Refund settleRefund(String refundId, boolean succeeded) {
        return ledger.settleRefund(refundId, succeeded);
    }

    /** A delayed payment method: checkout completes with {@code payment_status=unpaid}. */
    public CheckoutSession payAsync(String sessionId) {
        return ledger.payAsync(sessionId);
    }

    /** The delayed payment settles: {@code async_payment_succeeded} or {@code _failed}. */
    public CheckoutSession settleAsync(String sessionId, boolean succeeded) {
        return ledger.settleAsync(sessionId, succeeded);
    }

    /** The customer's bank disputes the charge: {@code charge.dispute.created}. */
    public void dispute(String sessionId, String reason) {
        ledger.dispute(sessionId, reason);
    }

    /** What the checkout page's "Decline" button does: a failed card, reported by webhook. */
    public CheckoutSession decline(String sessionId) {
        return ledger.decline(sessionId);
    }

    public List<CheckoutSession> sessions() {
        return ledger.sessions();
    }

    public Optional<CheckoutSession> session(String sessionId) {
        return ledger.find(sessionId);
    }

    public List<Refund> refunds() {
        return ledger.refunds();
    }

    private void sweep() {
        try {
            ledger.expireOverdue();
        }
        catch (RuntimeException e) {
            log.warn("Expiring overdue sessions failed", e);
        }
    }

    private void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer sk_")) {
                send(exchange, new Answer(401, StripeJson.error(new StripeError(401, "api_key_invalid",
                        "Invalid API Key provided.")).toString(), ""));
                return;
            }
            if (outage) {
                injectedFailures.incrementAndGet();
                send(exchange, new Answer(503, StripeJson.error(new StripeError(503, "service_unavailable",
                        "Stripe is unavailable (simulated outage).")).toString(), ""));
                return;
            }
            if (!rateLimiter.tryAcquire()) {
                send(exchange, new Answer(429, StripeJson.error(StripeError.rateLimited()).toString(), ""));
                return;
            }
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String body = read(exchange.getRequestBody());
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Answer replay = key != null ? idempotentAnswers.get(key) : null;
            if (replay != null) {
                repeatedCalls.incrementAndGet();
                send(exchange, replay.request.equals(method + path + body) ? replay
                        : new Answer(400, StripeJson.error(StripeError.idempotencyMismatch(key)).toString(), ""));
                return;
            }
            if (key != null && !keysInFlight.add(key)) {
                repeatedCalls.incrementAndGet();
                // Stripe's answer to a second request while the first with that key is still executing.
                send(exchange, new Answer(409, StripeJson.error(new StripeError(409, "idempotency_key_in_use", "There is currently"
                        + " another in-progress request using this Stripe-Idempotency-Key; retry later.", "idempotency_error"))
                        .toString(), ""));
                return;
            }
            callsInFlight.incrementAndGet();
            try {
                answer(exchange, key, method, path, body);
            }
            finally {
                callsInFlight.decrementAndGet();
                if (key != null) {
                    keysInFlight.remove(key);
                }
            }
        }
    }

    private void answer(HttpExchange exchange, @Nullable String key, String method, String path, String body) throws IOException {
        double dice = failureRate > 0 ? nextFault(method) : 1;
        if (dice < failureRate / 2) {
            injectedFailures.incrementAndGet();
            send(exchange, failure());
            return;
        }
        Answer answer;
        journal.beginRequest();
        try {
            answer = route(method, path, exchange.getRequestURI().getRawQuery(), body).forRequest(method + path + body);
            // Stripe keeps the answer of a request that executed; one refused before executing (validation) is not kept.
            if (key != null && answer.status < 400) {
                idempotentAnswers.put(key, answer);
                journal.answer(key, answer.status, answer.body, answer.request);
            }
        }
        finally {
            journal.endRequest();
        }
        long delay = responseDelay.toMillis() + nextLatency().toMillis();
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (dice < failureRate) {
            injectedFailures.incrementAndGet();
            answer = failure();
        }
        send(exchange, answer);
    }

    private synchronized double nextFault(String method) {
        // A POST: a call that changes something (a session, a refund), not a background read such as reconciliation's.
        if (failNext && "POST".equals(method)) {
            failNext = false;
            return failureRate * 0.75;
        }
        return faults.nextDouble();
    }

    private java.time.Duration nextLatency() {
        StripeLatency current = latency;
        if (current.isNone()) {
            return java.time.Duration.ZERO;
        }
        synchronized (latencyDraws) {
            return current.sample(latencyDraws);
        }
    }

    private static ThreadPoolExecutor requestThreads(int size) {
        java.util.concurrent.atomic.AtomicInteger number = new java.util.concurrent.atomic.AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "stripe-simulator-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private Answer route(String method, String path, @Nullable String query, String body) {
        try {
            String[] parts = path.split("/");
            if ("POST".equals(method) && "/v1/checkout/sessions".equals(path)) {
                return ok(StripeJson.session(ledger.create(FormBody.parse(body))));
            }
            if ("GET".equals(method) && parts.length == 5 && path.startsWith("/v1/checkout/sessions/")) {
                return ok(StripeJson.session(ledger.get(parts[4])));
            }
            if ("POST".equals(method) && parts.length == 6 && path.endsWith("/expire")) {
                return ok(StripeJson.session(ledger.expire(parts[4])));
            }
            if ("POST".equals(method) && "/v1/refunds".equals(path)) {
                return ok(StripeJson.refund(ledger.refund(FormBody.parse(body))));
            }
            if ("GET".equals(method) && parts.length == 4 && path.startsWith("/v1/refunds/")) {
                return ok(StripeJson.refund(ledger.refund(parts[3]).orElseThrow(() ->
                        new StripeError(404, "resource_missing", "No such refund: '" + parts[3] + "'"))));
            }
            if ("GET".equals(method) && "/v1/refunds".equals(path)) {
                String paymentIntent = FormBody.parse(query == null ? "" : query).get("payment_intent");
                return ok(StripeJson.list(ledger.refunds().stream().filter(refund -> paymentIntent == null
                        || paymentIntent.equals(refund.paymentIntent())).map(StripeJson::refund).toList(), false, "/v1/refunds"));
            }
            if ("GET".equals(method) && "/v1/events".equals(path)) {
                FormBody params = FormBody.parse(query == null ? "" : query);
                String gte = params.get("created[gte]");
                String limit = params.get("limit");
                EventLog.Page page = eventLog.page(gte == null ? 0 : Long.parseLong(gte), params.get("starting_after"),
                        limit == null ? 10 : Math.min(100, Integer.parseInt(limit)));
                return ok(StripeJson.list(page.events(), page.hasMore(), "/v1/events"));
            }
            return new Answer(404, StripeJson.error(new StripeError(404, "resource_missing",
                    "Unrecognized request URL (" + method + ": " + path + ").")).toString(), "");
        }
        catch (StripeError error) {
            return new Answer(error.status, StripeJson.error(error).toString(), "");
        }
    }

    private void checkout(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            String sessionId = parts.length > 2 ? parts[2] : "";
            Optional<CheckoutSession> session = ledger.find(sessionId);
            if (session.isEmpty()) {
                sendHtml(exchange, 404, CheckoutPage.notFound(sessionId));
                return;
            }
            if ("POST".equals(exchange.getRequestMethod()) && parts.length == 4) {
                CheckoutSession after;
                journal.beginRequest();
                try {
                    after = switch (parts[3]) {
                        case "pay" -> ledger.pay(sessionId);
                        case "pay-later" -> ledger.payAsync(sessionId);
                        default -> ledger.decline(sessionId);
                    };
                }
                catch (StripeError notOpen) {
                    sendHtml(exchange, 409, CheckoutPage.closed(ledger.get(sessionId)));
                    return;
                }
                finally {
                    journal.endRequest();
                }
                sendHtml(exchange, 200, CheckoutPage.result(after, !"decline".equals(parts[3])));
                return;
            }
            sendHtml(exchange, 200, CheckoutPage.form(session.get()));
        }
    }

    private static Answer ok(JsonObject json) {
        return new Answer(200, json.toString(), "");
    }

    private static Answer failure() {
        return new Answer(500, StripeJson.error(new StripeError(500, "simulated_outage",
                "Simulated transient failure; retry with the same Idempotency-Key.")).toString(), "");
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_sim");
        exchange.sendResponseHeaders(answer.status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sendHtml(HttpExchange exchange, int status, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        expirySweeper.shutdownNow();
        webhooks.close();
        server.stop(0);
        requestThreads.shutdownNow();
        journal.close();
    }

    /** An answer, and the request it answered (what an idempotent replay must match). */
    private record Answer(int status, String body, String request) {

        Answer forRequest(String answered) {
            return new Answer(status, body, answered);
        }
    }

}
