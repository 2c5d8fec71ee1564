package dev.bookingplatform.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bookingplatform.testsupport.FreePorts;

/** The port of every piece of the local stack, by the option that sets it. */
record LocalPorts(Map<String, Integer> byOption) {

    /** Option name, default port: the defaults a newcomer's curl and browser use. */
    static final Map<String, Integer> DEFAULTS = defaults();

    LocalPorts {
        byOption = Map.copyOf(byOption);
    }

    private static Map<String, Integer> defaults() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("booking-port", 8081);
        ports.put("inventory-port", 8082);
        ports.put("payment-port", 8083);
        ports.put("notification-port", 8084);
        ports.put("registry-port", 8085);
        ports.put("mail-port", 8025);
        ports.put("stripe-port", 12111);
        ports.put("smtp-port", 3025);
        ports.put("kafka-port", 9092);
        ports.put("postgres-port", 15432);
        return ports;
    }

    /** A free loopback port for every piece, for runs beside other stacks (and for tests). */
    static LocalPorts free() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        DEFAULTS.keySet().forEach(option -> ports.put(option, FreePorts.next()));
        return new LocalPorts(ports);
    }

    int of(String option) {
        Integer port = byOption.get(option);
        if (port == null) {
            throw new IllegalArgumentException("No port option --" + option);
        }
        return port;
    }

    /** The options whose port someone already listens on, so a clash is reported before anything starts. */
    List<String> taken() {
        return DEFAULTS.keySet().stream().filter(option -> !bindable(of(option))).toList();
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }
}
