import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The booking platform's dead letters from a terminal: list, show, replay, skip, bulk replay (dry run first),
 * compensate a booking, event history. One file and a JDK (17 or later), nothing else:
 *
 * <pre>
 *   java deploy/ops-cli/BookingOps.java help
 * </pre>
 *
 * It talks to each service's ops API ({@code /ops/dead-letters}, {@code /ops/events}, {@code /ops/bookings})
 * with a bearer token carrying the {@code ops} scope ({@code --token} or {@code $OPS_TOKEN}).
 */
public final class BookingOps {

    private static final Map<String, String> LOCAL_SERVICES = Map.of("booking", "http://localhost:8081", "inventory",
            "http://localhost:8082", "payment", "http://localhost:8083", "notification", "http://localhost:8084");

    private static final String USAGE = """
            usage: java deploy/ops-cli/BookingOps.java <command> [options]

            commands
              list                          dead letters of a service, newest first
              show <topic/partition/offset> one dead letter: the event decoded, its error, headers, what ops did
              replay <topic/partition/offset> --reason R
                                            apply it again through its handler (after fixing the cause); the
                                            records of its booking parked behind it follow, in order
              skip <topic/partition/offset> --reason R
                                            never apply it; what was parked behind it is applied
              bulk-replay --reason R [filters] [--execute]
                                            the open dead letters matching the filters: listed (dry run, the
                                            default), replayed oldest first with --execute
              compensate <booking-id> --reason R
                                            end the booking through the saga (units released, payment refunded):
                                            skip its dead letters first, so what follows is not parked; a
                                            dead-lettered payment cannot be skipped (409): replay it first
              events <aggregate-id>         what the service published for a booking or resource, in order
              stats                         events by type, oldest and newest, dead letters by topic
              timeline <booking-id>         the booking's every step across the four services, in causal order:
                                            events written, where each was read and by whom (attempts, time),
                                            dead letters and what ops did, Stripe calls, webhooks, mails
              consistency [--grace 10m] [--window 24h | --since ISO-INSTANT]
                                            bookings settled in the window (and longer ago than the grace) whose
                                            services disagree: CONFIRMED without units or payment, ended with
                                            units still taken, ended paid without a refund, refund refused
                                            though refunded; exit 1 if any; --page-size N (default 1000)
              serve [--port N] [--bind ADDRESS] [--check-every 60s]
                                            the timeline as a page at http://127.0.0.1:N/ (default 8090), and the
                                            consistency check run every minute, its counts at /metrics (Prometheus)
                                            and its last report at /consistency.json; binds 127.0.0.1 unless told,
                                            and off the loopback address serves /metrics only (it calls the
                                            services with your token)

            options
              --service NAME|URL   booking, inventory, payment, notification (./local-stack's ports) or a URL;
                                   default booking (compensate always goes to booking-service:
                                   --booking-service URL)
              --token TOKEN        bearer token with the ops scope; default $OPS_TOKEN
              --booking-service URL --inventory-service URL --payment-service URL --notification-service URL
                                   where timeline and serve find each service (default ./local-stack's ports)
              --topic T --event-type E --booking ID --exception CLASS --status DEAD|PARKED|REPLAYED|SKIPPED
              --from ISO-INSTANT --to ISO-INSTANT --open --page N --size N   filters of list and bulk-replay
              --json               print the service's JSON answer as it came

            exit status: 0 done, 1 refused or failed (the service's problem detail is printed), 2 bad usage,
            3 the replay ran and the handler failed again (the new error is recorded with the dead letter)
            """;

    private final Map<String, String> options;

    private final List<String> arguments;

    private final PrintStream out;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private BookingOps(Map<String, String> options, List<String> arguments, PrintStream out) {
        this.options = options;
        this.arguments = arguments;
        this.out = out;
    }

    public static void main(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> arguments = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String name = args[i].substring(2);
                boolean flag = name.equals("open") || name.equals("execute") || name.equals("json");
                if (!flag && i + 1 >= args.length) {
                    fail("--" + name + " needs a value");
                }
                options.put(name, flag ? "true" : args[++i]);
            }
            else {
                arguments.add(args[i]);
            }
        }
        if (arguments.isEmpty() || arguments.get(0).equals("help")) {
            System.out.print(USAGE);
            System.exit(arguments.isEmpty() ? 2 : 0);
        }
        System.exit(new BookingOps(options, arguments, System.out).run(arguments.get(0)));
    }

    private int run(String command) {
        return switch (command) {
            case "list" -> list();
            case "show" -> print(get(service() + "/ops/dead-letters/" + coordinates()));
            case "replay" -> act("replay");
            case "skip" -> act("skip");
            case "bulk-replay" -> bulkReplay();
            case "compensate" -> print(post(options.getOrDefault("booking-service", LOCAL_SERVICES.get("booking"))
                    + "/ops/bookings/" + argument("booking id") + "/compensate", reasonJson()));
            case "events" -> print(get(service() + "/ops/events?aggregateId=" + encode(argument("aggregate id"))));
            case "stats" -> print(get(service() + "/ops/events/stats"));
            case "timeline" -> timeline();
            case "serve" -> serve();
            case "consistency" -> consistency();
            default -> {
                fail("unknown command '" + command + "'\n\n" + USAGE);
                yield 2;
            }
        };
    }

    private int list() {
        StringBuilder query = new StringBuilder("?page=" + options.getOrDefault("page", "0") + "&size="
                + options.getOrDefault("size", "50"));
        filters().forEach((name, value) -> query.append('&').append(name).append('=').append(encode(value)));
        if (options.containsKey("open")) {
            query.append("&open=true");
        }
        HttpResponse<String> response = get(service() + "/ops/dead-letters" + query);
        if (response.statusCode() >= 300 || options.containsKey("json")) {
            return print(response);
        }
        Map<?, ?> page = (Map<?, ?>) Json.parse(response.body());
        table((List<?>) page.get("items"));
        out.println(page.get("total") + " dead letter(s) in " + page.get("consumerGroup") + ", page " + page.get("page"));
        return 0;
    }

    private int act(String action) {
        HttpResponse<String> response = post(service() + "/ops/dead-letters/" + coordinates() + "/" + action, reasonJson());
        int status = print(response);
        if (status == 0 && response.body().contains("\"result\":\"FAILED\"")) {
            return 3;
        }
        return status;
    }

    private int bulkReplay() {
        Map<String, Object> body = new LinkedHashMap<>(filters());
        body.put("reason", reason());
        body.put("dryRun", !options.containsKey("execute"));
        HttpResponse<String> response = post(service() + "/ops/dead-letters/replay", Json.write(body));
        if (response.statusCode() >= 300 || options.containsKey("json")) {
            return print(response);
        }
        Map<?, ?> result = (Map<?, ?>) Json.parse(response.body());
        table((List<?>) result.get("items"));
        out.println(Boolean.TRUE.equals(result.get("dryRun"))
                ? result.get("matched") + " dead letter(s) match (dry run; nothing changed; OUTCOME says what a run would do)."
                        + " Add --execute to replay them."
                : result.get("matched") + " dead letter(s) replayed");
        return 0;
    }

    private int timeline() {
        Map<String, Object> timeline = assemble(argument("booking id"));
        if (options.containsKey("json")) {
            out.println(Json.pretty(timeline));
            return 0;
        }
        List<?> steps = (List<?>) timeline.get("steps");
        out.printf("%-4s %-27s %-13s %-14s %s%n", "#", "AT", "SERVICE", "STEP", "WHAT");
        for (Object item : steps) {
            Map<?, ?> step = (Map<?, ?>) item;
            out.printf("%-4s %-27s %-13s %-14s %s%n", step.get("position"), step.get("at"), step.get("service"), step.get("kind"),
                    step.get("summary"));
        }
        Map<?, ?> unreachable = (Map<?, ?>) timeline.get("unreachable");
        unreachable.forEach((service, why) -> out.println("! " + service + " did not answer: " + why));
        out.println(steps.size() + " step(s) of booking " + timeline.get("bookingId"));
        return unreachable.isEmpty() ? 0 : 1;
    }

    /**
     * An outbox row does not know where the relay put it; the first consumer that read it does. Its topic, partition and
     * offset go on the PUBLISHED step (none while no one has read it yet).
     */
    @SuppressWarnings("unchecked")
    private static void whereItWasRelayed(List<Map<String, Object>> steps) {
        Map<Object, Map<String, Object>> readAt = new LinkedHashMap<>();
        for (Map<String, Object> step : steps) {
            if ("CONSUMED".equals(step.get("kind")) && step.get("eventId") != null && step.get("detail") instanceof Map<?, ?> detail
                    && detail.get("topic") != null) {
                readAt.putIfAbsent(step.get("eventId"), (Map<String, Object>) detail);
            }
        }
        for (Map<String, Object> step : steps) {
            Map<String, Object> read = "PUBLISHED".equals(step.get("kind")) ? readAt.get(step.get("eventId")) : null;
            if (read != null && step.get("detail") instanceof Map<?, ?> detail) {
                Map<String, Object> published = (Map<String, Object>) detail;
                published.put("topic", read.get("topic"));
                published.put("partition", read.get("partition"));
                published.put("offset", read.get("offset"));
                step.put("summary", step.get("summary") + ", relayed to " + read.get("topic") + "/" + read.get("partition") + "/"
                        + read.get("offset"));
            }
        }
    }

    /** Every service's steps of a booking, asked one by one (services never call each other), in causal order. */
    private Map<String, Object> assemble(String bookingId) {
        List<Map<String, Object>> entries = new ArrayList<>();
        Map<String, Object> unreachable = new LinkedHashMap<>();
        for (String service : List.of("booking", "inventory", "payment", "notification")) {
            String url = options.getOrDefault(service + "-service", LOCAL_SERVICES.get(service)).replaceAll("/+$", "");
            try {
                HttpResponse<String> response = trySend(HttpRequest.newBuilder(URI.create(url + "/ops/timeline/" + encode(bookingId))).GET());
                if (response.statusCode() != 200) {
                    unreachable.put(service, "HTTP " + response.statusCode() + " " + response.body());
                    continue;
                }
                for (Object entry : (List<?>) ((Map<?, ?>) Json.parse(response.body())).get("entries")) {
                    Map<String, Object> step = new LinkedHashMap<>();
                    step.put("service", service);
                    ((Map<?, ?>) entry).forEach((key, value) -> step.put(String.valueOf(key), value));
                    entries.add(step);
                }
            }
            catch (java.io.IOException | RuntimeException ex) {
                // Unreachable, a bad URL, or an answer that is not the timeline: named, and the rest still shown.
                unreachable.put(service, ex.toString());
            }
        }
        whereItWasRelayed(entries);
        List<Map<String, Object>> ordered = CausalOrder.of(entries);
        for (int i = 0; i < ordered.size(); i++) {
            ordered.get(i).put("position", i + 1);
        }
        Map<String, Object> timeline = new LinkedHashMap<>();
        timeline.put("bookingId", bookingId);
        timeline.put("steps", ordered);
        timeline.put("unreachable", unreachable);
        return timeline;
    }

    private int serve() {
        int port = Integer.parseInt(options.getOrDefault("port", "8090"));
        if (options.getOrDefault("token", System.getenv("OPS_TOKEN")) == null) {
            fail("no token: give --token or set OPS_TOKEN (./local-stack writes one to <data-dir>/tokens.env)");
        }
        try {
            duration(options.getOrDefault("grace", "10m"));
            duration(options.getOrDefault("window", "24h"));
            java.net.InetAddress bind = options.containsKey("bind") ? java.net.InetAddress.getByName(options.get("bind"))
                    : java.net.InetAddress.getLoopbackAddress();
            com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(bind, port), 0);
            ConsistencyMonitor monitor = new ConsistencyMonitor();
            java.util.concurrent.ScheduledExecutorService checks = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "consistency-check");
                thread.setDaemon(true);
                return thread;
            });
            checks.scheduleWithFixedDelay(() -> monitor.run(() -> checkConsistency(java.time.Instant.now(), monitor.mismatchedBookings())), 0,
                    duration(options.getOrDefault("check-every", "60s")).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            server.createContext("/", exchange -> {
                String host = exchange.getRequestHeaders().getFirst("Host");
                if (!servesHost(host, bind, exchange.getLocalAddress().getPort())) {
                    // A page elsewhere may point a name it controls at this address (DNS rebinding): answer only to
                    // the address this server was started on.
                    byte[] refused = "unknown host".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(421, refused.length);
                    exchange.getResponseBody().write(refused);
                    exchange.close();
                    return;
                }
                String path = exchange.getRequestURI().getPath();
                String query = exchange.getRequestURI().getRawQuery();
                byte[] body;
                int status = 200;
                String type = "text/html; charset=utf-8";
                if (!bind.isLoopbackAddress() && !path.equals("/metrics")) {
                    // Anyone who reaches a non-loopback address would read timelines and reports with the
                    // operator's token and no credentials of their own: there, only the counts answer.
                    status = 404;
                    body = ("only /metrics is served by a server bound off loopback; for the page run a second serve without"
                            + " --bind and reach it through an SSH tunnel")
                            .getBytes(StandardCharsets.UTF_8);
                    type = "text/plain; charset=utf-8";
                }
                else if (path.equals("/")) {
                    body = TimelinePage.HTML.getBytes(StandardCharsets.UTF_8);
                }
                else if (path.equals("/timeline.json")) {
                    type = "application/json";
                    String booking = parameter(query, "booking");
                    if (booking == null || booking.isBlank()) {
                        status = 400;
                        body = Json.write(Map.of("title", "booking required", "detail", "Give ?booking=<booking id>"))
                                .getBytes(StandardCharsets.UTF_8);
                    }
                    else {
                        try {
                            body = Json.write(assemble(booking.strip())).getBytes(StandardCharsets.UTF_8);
                        }
                        catch (RuntimeException ex) {
                            status = 502;
                            body = Json.write(Map.of("title", "Timeline not assembled", "detail", String.valueOf(ex)))
                                    .getBytes(StandardCharsets.UTF_8);
                        }
                    }
                }
                else if (path.equals("/metrics")) {
                    type = "text/plain; version=0.0.4; charset=utf-8";
                    body = monitor.metrics().getBytes(StandardCharsets.UTF_8);
                }
                else if (path.equals("/consistency.json")) {
                    type = "application/json";
                    body = Json.write(monitor.lastReport()).getBytes(StandardCharsets.UTF_8);
                }
                else {
                    status = 404;
                    body = "not found".getBytes(StandardCharsets.UTF_8);
                }
                exchange.getResponseHeaders().set("Content-Type", type);
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
            server.start();
            out.println("Booking timeline at http://" + bind.getHostAddress() + ":" + server.getAddress().getPort()
                    + "/ (Ctrl-C stops it)");
            out.flush();
            Thread.currentThread().join();
            return 0;
        }
        catch (java.io.IOException ex) {
            System.err.println("BookingOps: cannot serve on port " + port + ": " + ex.getMessage());
            return 1;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private int consistency() {
        Map<String, Object> report = checkConsistency(java.time.Instant.now(), List.of());
        if (options.containsKey("json")) {
            out.println(Json.pretty(report));
        }
        else {
            List<?> mismatches = (List<?>) report.get("mismatches");
            out.printf("%-38s %-10s %-26s %s%n", "BOOKING", "STATUS", "MISMATCH", "WHAT");
            for (Object item : mismatches) {
                Map<?, ?> mismatch = (Map<?, ?>) item;
                out.printf("%-38s %-10s %-26s %s%n", mismatch.get("bookingId"), mismatch.get("status"), mismatch.get("rule"),
                        mismatch.get("detail"));
            }
            ((Map<?, ?>) report.get("unreachable")).forEach((service, why) -> out.println("! " + service + " did not answer: " + why));
            out.println(mismatches.size() + " mismatch(es) among " + report.get("checked") + " booking(s) settled from "
                    + report.get("from") + " to " + report.get("to"));
        }
        return ((List<?>) report.get("mismatches")).isEmpty() && ((Map<?, ?>) report.get("unreachable")).isEmpty() ? 0 : 1;
    }

    /**
     * The consistency check: the bookings booking-service settled between the window's start and the grace period
     * ago, against what inventory holds for them and what payment-service took and gave back. Younger ones are
     * skipped: their last events may still be on their way.
     */
    private Map<String, Object> checkConsistency(java.time.Instant now, java.util.Collection<Object> stillMismatched) {
        java.time.Instant to = now.minus(duration(options.getOrDefault("grace", "10m")));
        java.time.Instant from = options.containsKey("since") ? java.time.Instant.parse(options.get("since"))
                : now.minus(duration(options.getOrDefault("window", "24h")));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("checkedAt", now.toString());
        report.put("from", from.toString());
        report.put("to", to.toString());
        Map<String, Object> unreachable = new LinkedHashMap<>();
        report.put("unreachable", unreachable);
        List<Map<?, ?>> bookings = new ArrayList<>();
        java.util.Set<Object> seen = new java.util.HashSet<>();
        int pageSize = Integer.parseInt(options.getOrDefault("page-size", "1000"));
        java.time.Instant pageFrom = from;
        Object after = null;
        while (pageFrom.isBefore(to)) {
            Map<?, ?> page = ask("booking", "/ops/consistency/bookings?from=" + pageFrom + "&to=" + to + "&limit=" + pageSize
                    + (after == null ? "" : "&after=" + after), null, unreachable);
            if (page == null) {
                break;
            }
            List<?> rows = (List<?>) page.get("bookings");
            rows.forEach(row -> {
                if (seen.add(((Map<?, ?>) row).get("bookingId"))) {
                    bookings.add((Map<?, ?>) row);
                }
            });
            if (!Boolean.TRUE.equals(page.get("truncated")) || rows.isEmpty()) {
                break;
            }
            // The next page starts after the last one read, by (time, id): many may share one instant.
            Map<?, ?> last = (Map<?, ?>) rows.get(rows.size() - 1);
            pageFrom = java.time.Instant.parse(String.valueOf(last.get("updatedAt")));
            after = last.get("bookingId");
        }
        List<Object> carried = stillMismatched.stream().filter(id -> !seen.contains(id)).toList();
        for (int start = 0; start < carried.size() && unreachable.isEmpty(); start += 1_000) {
            Map<?, ?> again = ask("booking", "/ops/consistency/bookings",
                    Json.write(Map.of("bookingIds", carried.subList(start, Math.min(carried.size(), start + 1_000)))), unreachable);
            if (again != null) {
                ((List<?>) again.get("bookings")).forEach(row -> bookings.add((Map<?, ?>) row));
            }
        }
        Map<Object, Object> holds = new LinkedHashMap<>();
        Map<Object, Object> payments = new LinkedHashMap<>();
        for (int start = 0; start < bookings.size(); start += 1_000) {
            List<Object> ids = bookings.subList(start, Math.min(bookings.size(), start + 1_000)).stream()
                    .map(booking -> (Object) booking.get("bookingId")).toList();
            String body = Json.write(Map.of("bookingIds", ids));
            Map<?, ?> held = ask("inventory", "/ops/consistency/holds", body, unreachable);
            Map<?, ?> paid = ask("payment", "/ops/consistency/payments", body, unreachable);
            if (held != null) {
                holds.putAll(held);
            }
            if (paid != null) {
                payments.putAll(paid);
            }
        }
        List<Map<String, Object>> mismatches = new ArrayList<>();
        if (unreachable.isEmpty()) {
            bookings.forEach(booking -> mismatches.addAll(ConsistencyMonitor.mismatchesOf(booking,
                    (Map<?, ?>) holds.get(booking.get("bookingId")), (Map<?, ?>) payments.get(booking.get("bookingId")))));
        }
        report.put("checked", bookings.size());
        report.put("mismatches", mismatches);
        return report;
    }

    /** One ops call for the consistency check; null (and the reason noted) when the service did not answer right. */
    private Map<?, ?> ask(String service, String path, String jsonBody, Map<String, Object> unreachable) {
        String url = options.getOrDefault(service + "-service", LOCAL_SERVICES.get(service)).replaceAll("/+$", "") + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        try {
            HttpResponse<String> response = trySend(request);
            if (response.statusCode() != 200) {
                unreachable.put(service, "HTTP " + response.statusCode() + " " + response.body());
                return null;
            }
            return (Map<?, ?>) Json.parse(response.body());
        }
        catch (java.io.IOException | RuntimeException ex) {
            unreachable.put(service, ex.toString());
            return null;
        }
    }

    /** {@code 90s}, {@code 10m}, {@code 24h}, {@code 7d}, or ISO-8601 ({@code PT10M}). */
    static Duration duration(String text) {
        java.util.regex.Matcher shorthand = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(text.strip());
        if (shorthand.matches()) {
            long amount = Long.parseLong(shorthand.group(1));
            return switch (shorthand.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text);
        }
        catch (java.time.format.DateTimeParseException ex) {
            fail("not a duration: '" + text + "' (say 30s, 10m, 24h, 7d or PT10M)");
            return Duration.ZERO;
        }
    }

    private static boolean servesHost(String host, java.net.InetAddress bind, int port) {
        if (host == null) {
            return false;
        }
        java.util.Set<String> names = new java.util.HashSet<>(List.of(bind.getHostAddress() + ":" + port, "localhost:" + port));
        if (bind.isLoopbackAddress()) {
            names.add("127.0.0.1:" + port);
            names.add("[::1]:" + port);
        }
        if (bind.isAnyLocalAddress()) {
            return true;
        }
        return names.contains(host.toLowerCase(java.util.Locale.ROOT));
    }

    private static String parameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void table(List<?> items) {
        out.printf("%-9s %-45s %-28s %-38s %-15s %s%n", "STATUS", "DEAD LETTER", "EVENT", "BOOKING", "OUTCOME", "ERROR");
        for (Object item : items) {
            Map<?, ?> row = (Map<?, ?>) item;
            // In a dry run, what the run would do with it: REPLAY, RELEASED_BY_AN_EARLIER_ONE or BEHIND_AN_OPEN_ONE.
            Object outcome = row.get("outcome") instanceof Map<?, ?> result ? result.get("result")
                    : row.get("wouldBe") != null ? "would " + String.valueOf(row.get("wouldBe")).replaceFirst(" .*", "") : "";
            String error = row.get("exceptionClass") == null ? "" : simpleName(String.valueOf(row.get("exceptionClass")))
                    + ": " + row.get("exceptionMessage");
            out.printf("%-9s %-45s %-28s %-38s %-15s %s%n", row.get("status"),
                    String.valueOf(row.get("path")).replace("/ops/dead-letters/", ""), row.get("eventType"), row.get("bookingId"),
                    outcome, error.length() > 80 ? error.substring(0, 80) + "..." : error);
        }
    }

    private Map<String, String> filters() {
        Map<String, String> filters = new LinkedHashMap<>();
        Map<String, String> names = Map.of("topic", "topic", "event-type", "eventType", "booking", "bookingId", "exception",
                "exceptionClass", "status", "status", "from", "from", "to", "to");
        names.forEach((option, parameter) -> {
            if (options.containsKey(option)) {
                filters.put(parameter, options.get(option));
            }
        });
        return filters;
    }

    private String service() {
        String service = options.getOrDefault("service", "booking");
        return LOCAL_SERVICES.getOrDefault(service, service).replaceAll("/+$", "");
    }

    private String coordinates() {
        String coordinates = argument("dead letter (topic/partition/offset, as list prints it)")
                .replaceFirst("^/?ops/dead-letters/", "").replaceFirst("^/", "");
        if (!coordinates.matches("[^/]+/\\d+/\\d+")) {
            fail("a dead letter is topic/partition/offset (its original coordinates), e.g. payment.events/0/42; got "
                    + coordinates);
        }
        return coordinates;
    }

    private String argument(String what) {
        if (arguments.size() < 2) {
            fail(arguments.get(0) + " needs a " + what);
        }
        return arguments.get(1);
    }

    private String reason() {
        String reason = options.get("reason");
        if (reason == null || reason.isBlank()) {
            fail(arguments.get(0) + " needs --reason: why, kept with the dead letter (who and when are recorded too)");
        }
        return reason;
    }

    private String reasonJson() {
        return Json.write(Map.of("reason", reason()));
    }

    private HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private HttpResponse<String> post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return trySend(request);
        }
        catch (java.io.IOException ex) {
            System.err.println("BookingOps: could not reach " + request.build().uri() + ": " + ex);
            System.exit(1);
            return null;
        }
    }

    /** The call, or the reason it could not be made; the token check still ends the program. */
    private HttpResponse<String> trySend(HttpRequest.Builder request) throws java.io.IOException {
        String token = options.getOrDefault("token", System.getenv("OPS_TOKEN"));
        if (token == null || token.isBlank()) {
            fail("no token: give --token or set OPS_TOKEN (./local-stack writes one to <data-dir>/tokens.env)");
        }
        try {
            return http.send(request.header("Authorization", "Bearer " + token).header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            fail("interrupted");
            return null;
        }
    }

    private int print(HttpResponse<String> response) {
        out.println(options.containsKey("json") ? response.body() : Json.pretty(Json.parse(response.body())));
        return response.statusCode() < 300 ? 0 : 1;
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void fail(String message) {
        System.err.println("BookingOps: " + message);
        System.exit(2);
    }

    /**
     * Steps in the order they caused each other, not by timestamp alone: four machines' clocks disagree, and an event's
     * outbox row and its consumer's inbox row can carry the same instant. A step comes after the event it is about was
     * written (a consumer's read, a dead letter, a mail), an event written while handling another comes after that
     * handling in its own service, and a dead letter comes before what ops did about it, which comes before the
     * replay's application. Among steps free to go next, the earliest goes first.
     */
    static final class CausalOrder {

        /**
         * Ties at one instant are common: PostgreSQL stamps every row of a transaction with its start, so a webhook's
         * record and the event it writes, or a replay's action and what the replay wrote, share a time. What a
         * transaction wrote (PUBLISHED) goes after what it did, since the edges already put an event before its
         * readers.
         */
        private static final List<String> KIND_RANK = List.of("DEAD_LETTERED", "OPS_ACTION", "WEBHOOK", "CONSUMED", "STRIPE_CALL",
                "MAIL_SENDING", "MAIL_SENT", "PUBLISHED");

        static List<Map<String, Object>> of(List<Map<String, Object>> steps) {
            int count = steps.size();
            List<List<Integer>> after = new ArrayList<>();
            int[] waitingOn = new int[count];
            for (int i = 0; i < count; i++) {
                after.add(new ArrayList<>());
            }
            Map<Object, Integer> published = new LinkedHashMap<>();
            Map<String, Integer> consumedIn = new LinkedHashMap<>();
            Map<String, List<Integer>> deadLetteredIn = new LinkedHashMap<>();
            Map<String, List<Integer>> actedOnIn = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                Map<String, Object> step = steps.get(i);
                Object event = step.get("eventId");
                if (event == null) {
                    continue;
                }
                if ("PUBLISHED".equals(step.get("kind"))) {
                    published.putIfAbsent(event, i);
                }
                else if ("CONSUMED".equals(step.get("kind"))) {
                    consumedIn.putIfAbsent(step.get("service") + " " + event, i);
                }
                else if ("DEAD_LETTERED".equals(step.get("kind"))) {
                    deadLetteredIn.computeIfAbsent(step.get("service") + " " + event, key -> new ArrayList<>()).add(i);
                }
                else if ("OPS_ACTION".equals(step.get("kind"))) {
                    actedOnIn.computeIfAbsent(step.get("service") + " " + event, key -> new ArrayList<>()).add(i);
                }
            }
            // In one service, a dead-lettered event is acted on by ops, and applied only after (by a replay).
            actedOnIn.forEach((key, actions) -> deadLetteredIn.getOrDefault(key, List.of())
                    .forEach(letter -> actions.forEach(action -> edge(letter, action, after, waitingOn))));
            // A mail goes out while its event is handled: after notification-service read it.
            for (int i = 0; i < count; i++) {
                Map<String, Object> step = steps.get(i);
                if (String.valueOf(step.get("kind")).startsWith("MAIL_")) {
                    Integer read = consumedIn.get(step.get("service") + " " + step.get("eventId"));
                    if (read != null) {
                        edge(read, i, after, waitingOn);
                    }
                }
            }
            deadLetteredIn.forEach((key, letters) -> {
                Integer applied = consumedIn.get(key);
                if (applied != null) {
                    letters.forEach(letter -> edge(letter, applied, after, waitingOn));
                    actedOnIn.getOrDefault(key, List.of()).forEach(action -> edge(action, applied, after, waitingOn));
                }
            });
            for (int i = 0; i < count; i++) {
                Map<String, Object> step = steps.get(i);
                Object event = step.get("eventId");
                if (event != null && !"PUBLISHED".equals(step.get("kind")) && published.containsKey(event)) {
                    edge(published.get(event), i, after, waitingOn);
                }
                Object cause = step.get("causationId");
                if (cause != null) {
                    Integer handling = consumedIn.get(step.get("service") + " " + cause);
                    Integer before = handling != null ? handling : published.get(cause);
                    if (before != null && before != i) {
                        edge(before, i, after, waitingOn);
                    }
                }
            }
            java.util.Comparator<Integer> earliest = java.util.Comparator.<Integer, java.time.Instant>comparing(i -> instant(steps.get(i).get("at")))
                    .thenComparing(i -> rank(steps.get(i).get("kind"))).thenComparing(i -> i);
            java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>(earliest);
            for (int i = 0; i < count; i++) {
                if (waitingOn[i] == 0) {
                    ready.add(i);
                }
            }
            List<Map<String, Object>> ordered = new ArrayList<>();
            boolean[] placed = new boolean[count];
            while (ordered.size() < count) {
                if (ready.isEmpty()) {
                    // A cycle means a clock or a record is wrong; the rest goes by time rather than not at all.
                    for (int i = 0; i < count; i++) {
                        if (!placed[i]) {
                            waitingOn[i] = 0;
                            ready.add(i);
                        }
                    }
                }
                int next = ready.poll();
                if (placed[next]) {
                    continue;
                }
                placed[next] = true;
                ordered.add(steps.get(next));
                for (int later : after.get(next)) {
                    if (--waitingOn[later] == 0 && !placed[later]) {
                        ready.add(later);
                    }
                }
            }
            return ordered;
        }

        private static void edge(int before, int later, List<List<Integer>> after, int[] waitingOn) {
            after.get(before).add(later);
            waitingOn[later]++;
        }

        private static java.time.Instant instant(Object at) {
            try {
                return java.time.Instant.parse(String.valueOf(at));
            }
            catch (java.time.format.DateTimeParseException unreadable) {
                return java.time.Instant.MAX;
            }
        }

        private static int rank(Object kind) {
            int rank = KIND_RANK.indexOf(String.valueOf(kind));
            return rank < 0 ? KIND_RANK.size() : rank;
        }
    }

    /**
     * The rules a settled booking must satisfy across services, and the last run's counts for Prometheus: a
     * mismatch is a booking whose services disagree longer than the grace period, which no retry will mend.
     */
    static final class ConsistencyMonitor {

        static final List<String> RULES = List.of("CONFIRMED_WITHOUT_UNITS", "CONFIRMED_UNPAID", "ENDED_WITH_UNITS",
                "ENDED_PAID_NOT_REFUNDED", "REFUND_FAILED_DISAGREES");

        private volatile Map<String, Object> last = Map.of("checked", 0, "mismatches", List.of(), "unreachable", Map.of());

        /** The most recent check, complete or not, for the page and {@code /consistency.json}. */
        private volatile Map<String, Object> latest = last;

        private volatile long lastSuccessEpochSeconds;

        private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();

        static List<Map<String, Object>> mismatchesOf(Map<?, ?> booking, Map<?, ?> hold, Map<?, ?> payment) {
            String status = String.valueOf(booking.get("status"));
            long units = hold == null ? 0 : ((Number) hold.get("unitsTaken")).longValue();
            boolean paid = payment != null && Boolean.TRUE.equals(payment.get("paid"));
            boolean refunded = payment != null && "SUCCEEDED".equals(payment.get("refundStatus"));
            List<Map<String, Object>> found = new ArrayList<>();
            if (status.equals("CONFIRMED")) {
                if (hold == null || !"CONFIRMED".equals(hold.get("status")) || units <= 0) {
                    found.add(mismatch(booking, "CONFIRMED_WITHOUT_UNITS", "inventory "
                            + (hold == null ? "holds nothing for it" : "has its hold " + hold.get("status") + " with " + units + " unit(s) taken")));
                }
                if (!paid) {
                    found.add(mismatch(booking, "CONFIRMED_UNPAID", "payment-service "
                            + (payment == null ? "has no session for it" : "has its session " + payment.get("sessionStatus") + ", unpaid")));
                }
            }
            else if (status.equals("REFUND_FAILED")) {
                // Waiting for ops to retry the refund, units kept or not by how it got here: only the money is
                // checked, and a refund that went through, or a payment never taken, means an event went missing.
                if (!paid || refunded) {
                    found.add(mismatch(booking, "REFUND_FAILED_DISAGREES", "booking-service holds the refund refused, while payment-service "
                            + (refunded ? "refunded it" : payment == null ? "has no session for it" : "took no payment")));
                }
            }
            else {
                if (units > 0) {
                    found.add(mismatch(booking, "ENDED_WITH_UNITS", "inventory still takes " + units + " unit(s) for it (hold "
                            + hold.get("status") + ")"));
                }
                if (paid && !refunded) {
                    found.add(mismatch(booking, "ENDED_PAID_NOT_REFUNDED", "payment-service took the payment and its refund is "
                            + (payment.get("refundStatus") == null ? "not asked" : payment.get("refundStatus"))));
                }
            }
            return found;
        }

        private static Map<String, Object> mismatch(Map<?, ?> booking, String rule, String detail) {
            Map<String, Object> mismatch = new LinkedHashMap<>();
            mismatch.put("bookingId", booking.get("bookingId"));
            mismatch.put("status", booking.get("status"));
            mismatch.put("rule", rule);
            mismatch.put("detail", detail);
            mismatch.put("settledAt", booking.get("updatedAt"));
            return mismatch;
        }

        void run(java.util.function.Supplier<Map<String, Object>> check) {
            try {
                Map<String, Object> report = check.get();
                latest = report;
                if (((Map<?, ?>) report.get("unreachable")).isEmpty()) {
                    last = report;
                    lastSuccessEpochSeconds = java.time.Instant.now().getEpochSecond();
                }
                else {
                    // A check that could not ask every service finds fewer mismatches, not none: the gauges keep the
                    // last complete check's counts, so a flaky service cannot reset ConsistencyMismatch's "for".
                    failures.incrementAndGet();
                }
            }
            catch (RuntimeException ex) {
                failures.incrementAndGet();
                System.err.println("BookingOps: consistency check failed: " + ex);
            }
        }

        /**
         * The bookings of the last complete check's mismatches, asked about again by the next check whenever they
         * settled: a mismatch leaves the report when its services agree, never because it aged out of the window.
         */
        List<Object> mismatchedBookings() {
            return ((List<?>) last.get("mismatches")).stream().map(item -> ((Map<?, ?>) item).get("bookingId")).distinct()
                    .map(id -> (Object) id).toList();
        }

        /** The latest check; if it missed a service, the last complete check's findings beside who did not answer. */
        Map<String, Object> lastReport() {
            Map<String, Object> now = latest;
            if (now == last || ((Map<?, ?>) now.get("unreachable")).isEmpty()) {
                return now;
            }
            // The same numbers the gauges report, so /consistency.json never reads 0 while the alert still fires.
            Map<String, Object> merged = new LinkedHashMap<>(last);
            merged.put("unreachable", now.get("unreachable"));
            merged.put("note", "the latest check could not ask every service: checked and mismatches are the last complete check's");
            return merged;
        }

        String metrics() {
            Map<String, Long> byRule = new LinkedHashMap<>();
            RULES.forEach(rule -> byRule.put(rule, 0L));
            ((List<?>) last.get("mismatches")).forEach(item -> byRule.merge(String.valueOf(((Map<?, ?>) item).get("rule")), 1L, Long::sum));
            StringBuilder text = new StringBuilder();
            text.append("# HELP ops_consistency_mismatches Settled bookings whose services disagree past the grace period, by rule\n");
            text.append("# TYPE ops_consistency_mismatches gauge\n");
            byRule.forEach((rule, count) -> text.append("ops_consistency_mismatches{rule=\"").append(rule).append("\"} ")
                    .append(count).append('\n'));
            text.append("# HELP ops_consistency_checked_bookings Settled bookings the last check read\n");
            text.append("# TYPE ops_consistency_checked_bookings gauge\n");
            text.append("ops_consistency_checked_bookings ").append(last.get("checked")).append('\n');
            text.append("# HELP ops_consistency_last_success_timestamp_seconds When a check last heard from every service\n");
            text.append("# TYPE ops_consistency_last_success_timestamp_seconds gauge\n");
            text.append("ops_consistency_last_success_timestamp_seconds ").append(lastSuccessEpochSeconds).append('\n');
            text.append("# HELP ops_consistency_check_failures_total Checks that could not ask every service\n");
            text.append("# TYPE ops_consistency_check_failures_total counter\n");
            text.append("ops_consistency_check_failures_total ").append(failures.get()).append('\n');
            return text.toString();
        }
    }

    /** The page {@code serve} answers at {@code /}: a form, and a table filled from {@code /timeline.json}. */
    static final class TimelinePage {

        static final String HTML = """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>Booking timeline</title>
                <style>
                  body { font-family: system-ui, sans-serif; margin: 2em; }
                  table { border-collapse: collapse; width: 100%; }
                  th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; font-size: 14px; }
                  tr.DEAD_LETTERED td, tr.OPS_ACTION td { background: #fff3f0; }
                  #warnings { color: #a00; }
                  code { font-size: 12px; }
                </style>
                </head>
                <body>
                <h1>Booking timeline</h1>
                <form id="lookup">
                  <label for="booking">Booking id</label>
                  <input id="booking" name="booking" size="40" autocomplete="off">
                  <button type="submit">Show</button>
                </form>
                <p id="status"></p>
                <ul id="warnings"></ul>
                <table id="timeline">
                  <thead><tr><th>#</th><th>At</th><th>Service</th><th>Step</th><th>What</th><th>Event</th></tr></thead>
                  <tbody></tbody>
                </table>
                <script>
                  function cell(row, text) {
                    var td = document.createElement('td');
                    td.textContent = text == null ? '' : String(text);
                    row.appendChild(td);
                    return td;
                  }
                  function show(booking) {
                    var status = document.getElementById('status');
                    var body = document.querySelector('#timeline tbody');
                    var warnings = document.getElementById('warnings');
                    body.innerHTML = '';
                    warnings.innerHTML = '';
                    status.textContent = 'Asking the four services...';
                    var request = new XMLHttpRequest();
                    request.open('GET', '/timeline.json?booking=' + encodeURIComponent(booking));
                    request.onload = function () {
                      var answer = JSON.parse(request.responseText);
                      if (request.status !== 200) {
                        status.textContent = answer.title + ': ' + answer.detail;
                        return;
                      }
                      answer.steps.forEach(function (step) {
                        var row = document.createElement('tr');
                        row.className = step.kind;
                        cell(row, step.position);
                        cell(row, step.at);
                        cell(row, step.service);
                        cell(row, step.kind);
                        cell(row, step.summary);
                        cell(row, step.eventType ? step.eventType + ' ' + step.eventId : '');
                        body.appendChild(row);
                      });
                      Object.keys(answer.unreachable).forEach(function (service) {
                        var item = document.createElement('li');
                        item.textContent = service + ' did not answer: ' + answer.unreachable[service];
                        warnings.appendChild(item);
                      });
                      status.textContent = answer.steps.length + ' step(s) of booking ' + answer.bookingId;
                    };
                    request.onerror = function () { status.textContent = 'The timeline server did not answer'; };
                    request.send();
                  }
                  document.getElementById('lookup').addEventListener('submit', function (event) {
                    event.preventDefault();
                    var booking = document.getElementById('booking').value.trim();
                    history.replaceState(null, '', '?booking=' + encodeURIComponent(booking));
                    show(booking);
                  });
                  var given = new URLSearchParams(location.search).get('booking');
                  if (given) {
                    document.getElementById('booking').value = given;
                    show(given);
                  }
                </script>
                </body>
                </html>
                """;
    }

    /** Just enough JSON for the ops API's answers: parse to maps, lists, strings, numbers, booleans and null. */
    static final class Json {

        private final String text;

        private int at;

        private Json(String text) {
            this.text = text;
        }

        static Object parse(String text) {
            if (text == null || text.isBlank()) {
                return "";
            }
            Json json = new Json(text);
            Object value = json.value();
            json.space();
            return json.at == text.length() ? value : text;
        }

        private Object value() {
            space();
            char c = text.charAt(at);
            if (c == '{') {
                Map<String, Object> map = new LinkedHashMap<>();
                at++;
                space();
                if (text.charAt(at) == '}') {
                    at++;
                    return map;
                }
                do {
                    space();
                    String key = string();
                    space();
                    expect(':');
                    map.put(key, value());
                    space();
                }
                while (text.charAt(at++) == ',');
                return map;
            }
            if (c == '[') {
                List<Object> list = new ArrayList<>();
                at++;
                space();
                if (text.charAt(at) == ']') {
                    at++;
                    return list;
                }
                do {
                    list.add(value());
                    space();
                }
                while (text.charAt(at++) == ',');
                return list;
            }
            if (c == '"') {
                return string();
            }
            for (String literal : List.of("true", "false", "null")) {
                if (text.startsWith(literal, at)) {
                    at += literal.length();
                    return literal.equals("null") ? null : Boolean.valueOf(literal);
                }
            }
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            String number = text.substring(start, at);
            return number.matches("-?\\d+") ? (Object) Long.valueOf(number) : Double.valueOf(number);
        }

        private String string() {
            expect('"');
            StringBuilder value = new StringBuilder();
            while (text.charAt(at) != '"') {
                char c = text.charAt(at++);
                if (c == '\\') {
                    char escaped = text.charAt(at++);
                    switch (escaped) {
                        case 'n' -> value.append('\n');
                        case 't' -> value.append('\t');
                        case 'r' -> value.append('\r');
                        case 'b' -> value.append('\b');
                        case 'f' -> value.append('\f');
                        case 'u' -> {
                            value.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                            at += 4;
                        }
                        default -> value.append(escaped);
                    }
                }
                else {
                    value.append(c);
                }
            }
            at++;
            return value.toString();
        }

        private void expect(char c) {
            if (text.charAt(at) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + at);
            }
            at++;
        }

        private void space() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        static String write(Object value) {
            StringBuilder json = new StringBuilder();
            write(value, json, -1);
            return json.toString();
        }

        static String pretty(Object value) {
            StringBuilder json = new StringBuilder();
            write(value, json, 0);
            return json.toString();
        }

        private static void write(Object value, StringBuilder json, int indent) {
            String newline = indent < 0 ? "" : "\n" + "  ".repeat(indent + 1);
            String close = indent < 0 ? "" : "\n" + "  ".repeat(indent);
            int inner = indent < 0 ? -1 : indent + 1;
            if (value instanceof Map<?, ?> map) {
                json.append('{');
                int i = 0;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    json.append(i++ == 0 ? "" : ",").append(newline);
                    quote(String.valueOf(entry.getKey()), json);
                    json.append(indent < 0 ? ":" : ": ");
                    write(entry.getValue(), json, inner);
                }
                json.append(map.isEmpty() ? "" : close).append('}');
            }
            else if (value instanceof List<?> list) {
                json.append('[');
                for (int i = 0; i < list.size(); i++) {
                    json.append(i == 0 ? "" : ",").append(newline);
                    write(list.get(i), json, inner);
                }
                json.append(list.isEmpty() ? "" : close).append(']');
            }
            else if (value instanceof String text) {
                quote(text, json);
            }
            else {
                json.append(value);
            }
        }

        private static void quote(String text, StringBuilder json) {
            json.append('"');
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '"' -> json.append("\\\"");
                    case '\\' -> json.append("\\\\");
                    case '\n' -> json.append("\\n");
                    case '\r' -> json.append("\\r");
                    case '\t' -> json.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            json.append(String.format("\\u%04x", (int) c));
                        }
                        else {
                            json.append(c);
                        }
                    }
                }
            }
            json.append('"');
        }
    }
}
