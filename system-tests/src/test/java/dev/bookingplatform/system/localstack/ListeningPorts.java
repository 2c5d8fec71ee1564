package dev.bookingplatform.system.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which TCP ports are listened on, and by which processes, read from Linux's {@code /proc}: what
 * {@code ss -ltnp} shows, without depending on that tool being installed.
 */
final class ListeningPorts {

    private ListeningPorts() {
    }

    /** Every port any of {@code processes} listens on. */
    static Set<Integer> of(Collection<ProcessHandle> processes) {
        Map<Long, Integer> portBySocket = listeningSockets();
        Set<Integer> ports = new HashSet<>();
        for (ProcessHandle process : processes) {
            for (long socket : socketsOf(process.pid())) {
                Integer port = portBySocket.get(socket);
                if (port != null) {
                    ports.add(port);
                }
            }
        }
        return ports;
    }

    /** Every port anyone on this machine listens on. */
    static Set<Integer> all() {
        return new HashSet<>(listeningSockets().values());
    }

    private static Map<Long, Integer> listeningSockets() {
        Map<Long, Integer> portBySocket = new HashMap<>();
        for (String table : new String[] { "/proc/net/tcp", "/proc/net/tcp6" }) {
            for (String line : lines(Path.of(table))) {
                String[] columns = line.trim().split("\\s+");
                boolean listening = columns.length > 9 && columns[3].equals("0A");
                if (listening) {
                    String localAddress = columns[1];
                    int port = Integer.parseInt(localAddress.substring(localAddress.indexOf(':') + 1), 16);
                    portBySocket.put(Long.parseLong(columns[9]), port);
                }
            }
        }
        return portBySocket;
    }

    private static Set<Long> socketsOf(long pid) {
        Set<Long> sockets = new HashSet<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            descriptors.forEach(descriptor -> {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.startsWith("socket:[")) {
                        sockets.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                }
                catch (IOException closedMeanwhile) {
                    // The descriptor went away while we looked; it listens on nothing now.
                }
            });
        }
        catch (IOException exited) {
            // The process is gone; it has no sockets.
        }
        return sockets;
    }

    private static Iterable<String> lines(Path table) {
        try {
            return Files.exists(table) ? Files.readAllLines(table).stream().skip(1).toList() : java.util.List.of();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
