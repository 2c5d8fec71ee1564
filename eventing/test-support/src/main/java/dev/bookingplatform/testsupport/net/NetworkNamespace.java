package dev.bookingplatform.testsupport.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Linux network namespace joined to this host by a veth pair, so a process started in it talks to this host's
 * servers over a link the test can {@link #partition}: the real network fault, not a closed socket. Needs root and
 * iproute2 ({@code ip}); everything it creates is its own ({@code 10.213.x.0/30}, interfaces named after it).
 *
 * <p>A partition must be silent, as a cut cable or a dead switch is: no reset, no "unreachable", packets simply
 * vanish, so each side learns only from its own timeouts. Without {@code tc netem} or a packet filter here, it
 * makes each side address its frames to a hardware address nobody has (a permanent neighbour entry): the other
 * end drops them as not meant for it, while both links and routes stay up. Healing removes those entries and
 * ARP finds the real peer again.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final String BOGUS_HOST_SIDE_MAC = "02:bd:00:00:00:01";

    private static final String BOGUS_INSIDE_MAC = "02:bd:00:00:00:02";

    private final String name;

    private final String hostInterface;

    private final String insideInterface;

    private final String hostAddress;

    private final String insideAddress;

    private final String network;

    private NetworkNamespace(String name, int subnet) {
        this.name = name;
        this.hostInterface = name + "h";
        this.insideInterface = name + "n";
        this.hostAddress = "10.213." + subnet + ".1";
        this.insideAddress = "10.213." + subnet + ".2";
        this.network = "10.213." + subnet + ".0/30";
    }

    /** Whether this machine lets us make one (root, iproute2, namespaces enabled): tried, not guessed. */
    public static boolean canCreate() {
        try (NetworkNamespace probe = create()) {
            return true;
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    /** Creates the namespace and the link to it, up and addressed. */
    public static NetworkNamespace create() {
        int suffix = ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
        NetworkNamespace namespace = new NetworkNamespace("bp" + suffix, unusedSubnet());
        try {
            namespace.setUp();
        }
        catch (RuntimeException failed) {
            namespace.close();
            throw failed;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(namespace::close, "network-namespace-cleanup"));
        return namespace;
    }

    /** A 10.213.x.0/30 no interface of this host has an address in (one a killed test left behind, say). */
    private static int unusedSubnet() {
        String addresses = output(List.of("ip", "-4", "-o", "addr", "show"));
        for (int attempt = 0; attempt < 256; attempt++) {
            int subnet = ThreadLocalRandom.current().nextInt(256);
            if (!addresses.contains(" 10.213." + subnet + ".")) {
                return subnet;
            }
        }
        throw new IllegalStateException("Every 10.213.x.0/30 is in use on this host");
    }

    private void setUp() {
        ip("netns", "add", name);
        ip("link", "add", hostInterface, "type", "veth", "peer", "name", insideInterface);
        ip("link", "set", insideInterface, "netns", name);
        ip("addr", "add", hostAddress + "/30", "dev", hostInterface);
        ip("link", "set", hostInterface, "up");
        ipInside("addr", "add", insideAddress + "/30", "dev", insideInterface);
        ipInside("link", "set", insideInterface, "up");
        ipInside("link", "set", "lo", "up");
    }

    /** This host's end of the link: where servers must listen for the namespace to reach them. */
    public String hostAddress() {
        return hostAddress;
    }

    /** The namespace's own address, as this host's servers see its clients. */
    public String insideAddress() {
        return insideAddress;
    }

    /** The link's network in CIDR form. */
    public String network() {
        return network;
    }

    /** {@code command} prefixed so that it runs inside the namespace (the process itself, not a shell around it). */
    public List<String> inside(List<String> command) {
        List<String> prefixed = new ArrayList<>(List.of("ip", "netns", "exec", name));
        prefixed.addAll(command);
        return prefixed;
    }

    /** From now on every packet between the namespace and this host is silently lost, both ways. */
    public void partition() {
        ip("neigh", "replace", insideAddress, "lladdr", BOGUS_HOST_SIDE_MAC, "dev", hostInterface, "nud", "permanent");
        ipInside("neigh", "replace", hostAddress, "lladdr", BOGUS_INSIDE_MAC, "dev", insideInterface, "nud", "permanent");
    }

    /** Ends a {@link #partition()}: both sides find each other again by ARP. */
    public void heal() {
        ip("neigh", "del", insideAddress, "dev", hostInterface);
        ipInside("neigh", "del", hostAddress, "dev", insideInterface);
    }

    /** Removes the link and the namespace; processes still inside lose their network. */
    @Override
    public void close() {
        runQuietly(List.of("ip", "link", "del", hostInterface));
        runQuietly(List.of("ip", "netns", "del", name));
    }

    private void ip(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        run(command);
    }

    private void ipInside(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name, "ip"));
        command.addAll(List.of(arguments));
        run(command);
    }

    private static void run(List<String> command) {
        output(command);
    }

    private static String output(List<String> command) {
        try {
            java.nio.file.Path log = java.nio.file.Files.createTempFile("ip-", ".out");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 s");
                }
                String output = java.nio.file.Files.readString(log, StandardCharsets.UTF_8).trim();
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
                }
                return output;
            }
            finally {
                java.nio.file.Files.deleteIfExists(log);
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not run " + String.join(" ", command) + ": " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted running " + String.join(" ", command), ex);
        }
    }

    private static void runQuietly(List<String> command) {
        try {
            run(command);
        }
        catch (RuntimeException alreadyGone) {
            // closing twice (the shutdown hook after close) finds nothing to remove
        }
    }
}
