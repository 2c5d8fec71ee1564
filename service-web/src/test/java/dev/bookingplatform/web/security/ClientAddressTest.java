package dev.bookingplatform.web.security;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {

    private final ClientAddress behindOurBalancer = new ClientAddress(List.of("10.0.0.0/8"));

    @Test
    void forwardedForIsIgnoredFromAnUntrustedPeer() {
        assertThat(behindOurBalancer.of(request("203.0.113.9", "198.51.100.1"))).isEqualTo("203.0.113.9");
        assertThat(new ClientAddress(List.of()).of(request("10.1.1.1", "198.51.100.1"))).isEqualTo("10.1.1.1");
    }

    @Test
    void fromATrustedProxyTheFirstUntrustedHopFromTheRightIsTheClient() {
        // The client wrote "1.2.3.4" itself; our balancers appended the address they saw.
        assertThat(behindOurBalancer.of(request("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.1"))).isEqualTo("198.51.100.7");
    }

    @Test
    void garbageOrNamesInTheChainAreNotBelieved() {
        assertThat(behindOurBalancer.of(request("10.0.0.2", "evil.example"))).isEqualTo("10.0.0.2");
        assertThat(behindOurBalancer.of(request("10.0.0.2", "deadbeef"))).isEqualTo("10.0.0.2");
    }

    @Test
    void everyForwardedForLineCountsInOrderAndPortsAreIgnored() {
        MockHttpServletRequest twoLines = request("10.0.0.2", "9.9.9.9");
        twoLines.addHeader("X-Forwarded-For", "198.51.100.7:51234");
        assertThat(behindOurBalancer.of(twoLines)).isEqualTo("198.51.100.7");
        assertThat(behindOurBalancer.of(request("10.0.0.2", "[2001:db8::7]:443"))).isEqualTo("2001:db8::7");
    }

    private static MockHttpServletRequest request(String peer, String forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(peer);
        request.addHeader("X-Forwarded-For", forwardedFor);
        return request;
    }
}
