package dev.bookingplatform.eventing.correlation;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class CorrelationIdFilterTest {

    private final CorrelationIdFilter filter = new CorrelationIdFilter();

    @Test
    void gatewaysCorrelationIdIsInTheMdcDuringTheRequestAndEchoed() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader(CorrelationIdFilter.HEADER, "gw-7f3e");
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicReference<String> seen = new AtomicReference<>();

        filter.doFilter(request, response, new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
                seen.set(MDC.get(CorrelationScope.CORRELATION_ID));
            }
        }));

        assertThat(seen).hasValue("gw-7f3e");
        assertThat(response.getHeader(CorrelationIdFilter.HEADER)).isEqualTo("gw-7f3e");
        assertThat(MDC.get(CorrelationScope.CORRELATION_ID)).as("cleared after the request").isNull();
    }

    @Test
    void missingOrUnusableIdIsReplacedByANewOne() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader(CorrelationIdFilter.HEADER, "line\nbreak");
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(request, response, new MockFilterChain());

        assertThat(response.getHeader(CorrelationIdFilter.HEADER)).isNotBlank().doesNotContain("\n")
                .matches("[0-9a-f-]{36}");
    }
}
