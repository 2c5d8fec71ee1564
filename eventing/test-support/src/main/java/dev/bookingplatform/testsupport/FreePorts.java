package dev.bookingplatform.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds ports nobody listens on, for servers that must be told their port up front. They are picked below the
 * kernel's ephemeral range (32768 and up on Linux): a port the kernel handed out and took back could be given
 * to an outgoing connection of any process between our check and the server's bind, which once made Apicurio
 * fail to start with "port in use". Never the same port twice in one JVM.
 */
public final class FreePorts {

    private static final int FIRST = 20_000;

    private static final int COUNT = 12_000;

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = FIRST + ThreadLocalRandom.current().nextInt(COUNT);
            if (HANDED_OUT.add(port) && bindable(port)) {
                return port;
            }
        }
        return anyEphemeral();
    }

    private static boolean bindable(int port) {
        try (ServerSocket wildcard = new ServerSocket()) {
            wildcard.setReuseAddress(false);
            wildcard.bind(new InetSocketAddress(port));
            return true;
        }
        catch (IOException taken) {
            return false;
        }
    }

    private static int anyEphemeral() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("No free loopback port", ex);
        }
    }
}
