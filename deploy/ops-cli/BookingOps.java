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
                                            skip its dead letters first, so what follows is not parked
              events <aggregate-id>         what the service published for a booking or resource, in order
              stats                         events by type, oldest and newest, dead letters by topic

            options
              --service NAME|URL   booking, inventory, payment, notification (./local-stack's ports) or a URL;
                                   default booking (compensate always goes to booking-service:
                                   --booking-service URL)
              --token TOKEN        bearer token with the ops scope; default $OPS_TOKEN
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
                ? result.get("matched") + " dead letter(s) would be replayed (dry run; nothing changed). Add --execute to replay them."
                : result.get("matched") + " dead letter(s) replayed");
        return 0;
    }

    private void table(List<?> items) {
        out.printf("%-9s %-45s %-28s %-38s %-15s %s%n", "STATUS", "DEAD LETTER", "EVENT", "BOOKING", "OUTCOME", "ERROR");
        for (Object item : items) {
            Map<?, ?> row = (Map<?, ?>) item;
            Object outcome = row.get("outcome") instanceof Map<?, ?> result ? result.get("result") : "";
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
        String token = options.getOrDefault("token", System.getenv("OPS_TOKEN"));
        if (token == null || token.isBlank()) {
            fail("no token: give --token or set OPS_TOKEN (./local-stack writes one to <data-dir>/tokens.env)");
        }
        try {
            return http.send(request.header("Authorization", "Bearer " + token).header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (java.io.IOException ex) {
            System.err.println("BookingOps: could not reach " + request.build().uri() + ": " + ex);
            System.exit(1);
            return null;
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
