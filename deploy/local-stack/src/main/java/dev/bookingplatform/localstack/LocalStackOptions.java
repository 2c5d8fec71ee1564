package dev.bookingplatform.localstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.bookingplatform.stripesim.StripeLatency;

/**
 * The command line of the local stack. Every option has a default, so {@code ./local-stack} alone runs the
 * whole platform on the ports the README uses, with fresh data.
 */
record LocalStackOptions(LocalPorts ports, @Nullable Path dataDirectory, boolean demo, boolean help, StripeLatency stripeLatency,
        int stripeRateLimit, int replicas) {

    /** Each replica is a JVM of some 300 MB: four of each service is already twelve more on a laptop. */
    static final int MAX_REPLICAS = 4;

    /** Stripe test mode's limit; live accounts start at 100 and Stripe raises them on request. */
    static final int TEST_MODE_RATE_LIMIT = 25;

    static final String USAGE = """
            Usage: ./local-stack [options]

            Runs the whole booking platform on this machine: PostgreSQL, a Kafka broker, Apicurio Registry,
            an SMTP server with a mail page, the Stripe simulator and the four services. Ctrl-C stops it all.

              --data-dir=DIR     keep PostgreSQL, Kafka and the registry's schemas in DIR across restarts
                                 (default: a fresh temporary directory, deleted on exit)
              --demo             once ready, place four bookings (paid, declined, sold out, cancelled after
                                 payment) and print how each saga ended
              --free-ports       any free port for every piece (printed when ready)
              --stripe-latency=MEDIAN[/P99]
                                 how long the Stripe simulator takes per call, e.g. 300ms/900ms
                                 (log-normal; default: it answers at once)
              --stripe-rate-limit=N
                                 Stripe API requests a second before it answers 429 (default 25,
                                 test mode's; 0 for no limit)
              --replicas=N       N replicas of every service (default 1, at most 4): the first on the
                                 ports below, each further one in a JVM of its own on a free port
                                 (printed when ready), sharing its service's database and consumer group
              --<name>-port=N    one piece's port; defaults:
            %s
              --help             this text
            """;

    static String usage() {
        StringBuilder ports = new StringBuilder();
        LocalPorts.DEFAULTS.forEach((option, port) -> ports.append("                       --%s=%d%n".formatted(option, port)));
        return USAGE.formatted(ports.toString().stripTrailing());
    }

    /** Parses {@code --name=value} and {@code --name value}; a mistake is an {@link IllegalArgumentException}. */
    static LocalStackOptions parse(String... args) {
        Map<String, Integer> ports = new LinkedHashMap<>(LocalPorts.DEFAULTS);
        Path dataDirectory = null;
        boolean demo = false;
        boolean help = false;
        boolean freePorts = false;
        StripeLatency latency = StripeLatency.NONE;
        int rateLimit = TEST_MODE_RATE_LIMIT;
        int replicas = 1;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            switch (name) {
                case "demo" -> demo = true;
                case "help" -> help = true;
                case "free-ports" -> freePorts = true;
                case "data-dir" -> {
                    value = value != null ? value : valueAfter(args, ++i, name);
                    dataDirectory = Path.of(value).toAbsolutePath();
                }
                case "stripe-latency" -> latency = StripeLatency.parse(value != null ? value : valueAfter(args, ++i, name));
                case "stripe-rate-limit" -> rateLimit = rateLimit(value != null ? value : valueAfter(args, ++i, name));
                case "replicas" -> replicas = replicas(value != null ? value : valueAfter(args, ++i, name));
                default -> {
                    if (!ports.containsKey(name)) {
                        throw new IllegalArgumentException("Unknown option --" + name);
                    }
                    value = value != null ? value : valueAfter(args, ++i, name);
                    ports.put(name, port(name, value));
                }
            }
        }
        LocalPorts chosen = freePorts ? LocalPorts.free() : new LocalPorts(ports);
        return new LocalStackOptions(chosen, dataDirectory, demo, help, latency, rateLimit, replicas);
    }

    private static String valueAfter(String[] args, int index, String name) {
        if (index >= args.length) {
            throw new IllegalArgumentException("--" + name + " needs a value");
        }
        return args[index];
    }

    private static int replicas(String value) {
        try {
            int replicas = Integer.parseInt(value);
            if (replicas >= 1 && replicas <= MAX_REPLICAS) {
                return replicas;
            }
        }
        catch (NumberFormatException notANumber) {
            // Reported below.
        }
        throw new IllegalArgumentException("--replicas must be a number from 1 to " + MAX_REPLICAS + ", not '" + value + "'");
    }

    private static int rateLimit(String value) {
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 0) {
                return limit;
            }
        }
        catch (NumberFormatException notANumber) {
            // Reported below.
        }
        throw new IllegalArgumentException("--stripe-rate-limit must be a number of requests a second (0 for none), not '" + value + "'");
    }

    private static int port(String name, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        catch (NumberFormatException notANumber) {
            // Reported below with the option's name.
        }
        throw new IllegalArgumentException("--" + name + " must be a port between 1 and 65535, not '" + value + "'");
    }
}
