package dev.bookingplatform.web.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The address a request came from. {@code X-Forwarded-For} is read only when the connection comes from a
 * configured proxy, and then from the right, skipping our own proxies: anything left of the first address we
 * do not trust was written by the client and proves nothing.
 */
final class ClientAddress {

    private final List<IpAddressMatcher> trustedProxies;

    ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(String::trim).filter(proxy -> !proxy.isEmpty())
                .map(IpAddressMatcher::new).toList();
    }

    String of(HttpServletRequest request) {
        String address = request.getRemoteAddr();
        if (!isTrusted(address)) {
            return address;
        }
        // Every X-Forwarded-For line in order: a proxy may append a line of its own instead of extending the first.
        String forwarded = String.join(",", java.util.Collections.list(request.getHeaders("X-Forwarded-For")));
        if (forwarded.isBlank()) {
            return address;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = withoutPort(hops[i].trim());
            if (!isAddress(hop)) {
                // Garbage in the chain: the last hop we could trust is the answer.
                return address;
            }
            if (!isTrusted(hop)) {
                return hop;
            }
            address = hop;
        }
        return address;
    }

    /** "1.2.3.4:5678" and "[2001:db8::1]:443" as some proxies write them. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[") && hop.contains("]")) {
            return hop.substring(1, hop.indexOf(']'));
        }
        if (hop.indexOf(':') > 0 && hop.indexOf(':') == hop.lastIndexOf(':')) {
            return hop.substring(0, hop.indexOf(':'));
        }
        return hop;
    }

    private boolean isTrusted(String address) {
        return isAddress(address) && trustedProxies.stream().anyMatch(proxy -> proxy.matches(address));
    }

    private static boolean isAddress(String text) {
        boolean ipv4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = text.contains(":") && text.matches("[0-9a-fA-F:.]+");
        if (!ipv4 && !ipv6) {
            return false;
        }
        try {
            // Only literals reach here: no name lookup happens.
            InetAddress.getByName(text);
            return true;
        }
        catch (UnknownHostException ex) {
            return false;
        }
    }
}
