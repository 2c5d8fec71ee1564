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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Stripe: the REST endpoints payment-service's stripe-java adapter calls ({@code /v1/checkout/sessions},
 * {@code /v1/refunds}, with {@code Idempotency-Key} replay), a checkout page at {@code /checkout/<session>}
 * whose buttons pay or decline, and signed webhooks to the endpoint set with {@link #webhookEndpoint}.
 * Transient failures can be injected to prove retries never charge or refund twice.
 */
public final class StripeSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StripeSimulator.class);

    private final HttpServer server;

    private final ExecutorService requestThreads = Executors.newFixedThreadPool(8);

    private final ScheduledExecutorService expirySweeper = Executors.newSingleThreadScheduledExecutor();

    private final StripeLedger ledger;

    private final WebhookSender webhooks;

    private final Map<String, Answer> idempotentAnswers = new ConcurrentHashMap<>();

    private final Random faults = new Random(42);

    private volatile @Nullable URI webhookEndpoint;

    private volatile double failureRate;

    private final java.util.concurrent.atomic.AtomicInteger injectedFailures = new java.util.concurrent.atomic.AtomicInteger();

    private StripeSimulator(HttpServer server, String webhookSecret, Clock clock) {
        this.server = server;
        String base = "http://localhost:" + server.getAddress().getPort();
        this.webhooks = new WebhookSender(() -> webhookEndpoint, webhookSecret, clock);
        this.ledger = new StripeLedger(base, clock, event -> webhooks.send(event.get("id").getAsString(),
                event.get("type").getAsString(), event.toString()));
    }

    /** Starts on loopback {@code port} (0: any free port), signing webhooks with {@code webhookSecret}. */
    public static StripeSimulator start(int port, String webhookSecret) {
        return start("127.0.0.1", port, webhookSecret);
    }

    /** Starts on {@code bindAddress} (e.g. {@code 0.0.0.0} in a container) and {@code port}. */
    public static StripeSimulator start(String bindAddress, int port, String webhookSecret) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
            StripeSimulator simulator = new StripeSimulator(server, webhookSecret, Clock.systemUTC());
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

    /** Share of API calls (0..1) answered with a 500, half of them after the call took effect (a lost response). */
    public void failureRate(double rate) {
        this.failureRate = rate;
    }

    /** How many API calls were answered with an injected 500 so far. */
    public int injectedFailures() {
        return injectedFailures.get();
    }

    /** What the checkout page's "Pay" button does. */
    public CheckoutSession pay(String sessionId) {
        return ledger.pay(sessionId);
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
                        "Invalid API Key provided.")).toString()));
                return;
            }
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String body = read(exchange.getRequestBody());
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (key != null && idempotentAnswers.containsKey(method + path + key)) {
                send(exchange, idempotentAnswers.get(method + path + key));
                return;
            }
            double dice = failureRate > 0 ? nextFault() : 1;
            if (dice < failureRate / 2) {
                injectedFailures.incrementAndGet();
                send(exchange, failure());
                return;
            }
            Answer answer = route(method, path, body);
            if (key != null && answer.status < 500) {
                idempotentAnswers.put(method + path + key, answer);
            }
            if (dice < failureRate) {
                injectedFailures.incrementAndGet();
                answer = failure();
            }
            send(exchange, answer);
        }
    }

    private synchronized double nextFault() {
        return faults.nextDouble();
    }

    private Answer route(String method, String path, String body) {
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
            return new Answer(404, StripeJson.error(new StripeError(404, "resource_missing",
                    "Unrecognized request URL (" + method + ": " + path + ").")).toString());
        }
        catch (StripeError error) {
            return new Answer(error.status, StripeJson.error(error).toString());
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
                try {
                    CheckoutSession after = "pay".equals(parts[3]) ? ledger.pay(sessionId) : ledger.decline(sessionId);
                    sendHtml(exchange, 200, CheckoutPage.result(after, "pay".equals(parts[3])));
                }
                catch (StripeError notOpen) {
                    sendHtml(exchange, 409, CheckoutPage.closed(ledger.get(sessionId)));
                }
                return;
            }
            sendHtml(exchange, 200, CheckoutPage.form(session.get()));
        }
    }

    private static Answer ok(JsonObject json) {
        return new Answer(200, json.toString());
    }

    private static Answer failure() {
        return new Answer(500, StripeJson.error(new StripeError(500, "simulated_outage",
                "Simulated transient failure; retry with the same Idempotency-Key.")).toString());
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
    }

    private record Answer(int status, String body) {
    }

}
