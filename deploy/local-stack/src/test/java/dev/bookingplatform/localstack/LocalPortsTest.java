package dev.bookingplatform.localstack;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalPortsTest {

    @Test
    void aPortSomeoneListensOnIsReportedByItsOptionBeforeAnythingStarts() throws Exception {
        try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, Integer> ports = new LinkedHashMap<>(LocalPorts.free().byOption());
            ports.put("kafka-port", occupied.getLocalPort());

            assertThat(new LocalPorts(ports).taken()).containsExactly("kafka-port");
        }
    }
}
