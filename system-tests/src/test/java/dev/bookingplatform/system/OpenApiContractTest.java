package dev.bookingplatform.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.net.ssl.SSLSession;

import com.atlassian.oai.validator.report.ValidationReport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract test can fail: answers a service does not document (a status, a member of the wrong type, an error
 * that is not a problem detail) are caught, and the documented ones pass. Run against the checked-in booking
 * contract, with answers made up here.
 */
class OpenApiContractTest {

    static final String BOOKING = "booking-service";

    final UUID id = UUID.randomUUID();

    final HttpRequest getBooking = HttpRequest.newBuilder(URI.create("http://localhost:8081/api/bookings/" + id))
            .header("Authorization", "Bearer token").GET().build();

    @Test
    void anUndocumentedStatusFails() {
        HttpResponse<String> teapot = answer(418, "application/problem+json", "{\"title\":\"I'm a teapot\",\"status\":418}");
        assertThat(keys(OpenApiContract.report(BOOKING, getBooking, null, teapot))).contains("validation.response.status.unknown");
        assertThatThrownBy(() -> OpenApiContract.check(BOOKING, getBooking, null, teapot)).isInstanceOf(AssertionError.class);
    }

    @Test
    void aMemberOfTheWrongTypeFails() {
        String wrong = view().replace("\"quantity\":1", "\"quantity\":\"one\"");
        ValidationReport report = OpenApiContract.report(BOOKING, getBooking, null, answer(200, "application/json", wrong));
        assertThat(keys(report)).contains("validation.response.body.schema.type");
        assertThat(report.getMessages()).anySatisfy(message -> assertThat(message.getMessage()).contains("/quantity"));
    }

    @Test
    void aMissingRequiredMemberFails() {
        String missing = view().replace("\"resourceId\":\"court-1\",", "");
        ValidationReport report = OpenApiContract.report(BOOKING, getBooking, null, answer(200, "application/json", missing));
        assertThat(keys(report)).contains("validation.response.body.schema.required");
        assertThat(report.getMessages()).anySatisfy(message -> assertThat(message.getMessage()).contains("resourceId"));
    }

    @Test
    void aNullWhereTheContractSaysNeverNullFails() {
        String nullStatus = view().replace("\"status\":\"AWAITING_PAYMENT\"", "\"status\":null");
        ValidationReport report = OpenApiContract.report(BOOKING, getBooking, null, answer(200, "application/json", nullStatus));
        assertThat(report.getMessages()).anySatisfy(message -> assertThat(message.getMessage()).contains("/status"));
    }

    @Test
    void anErrorThatIsNotAProblemDetailFails() {
        ValidationReport report = OpenApiContract.report(BOOKING, getBooking, null,
                answer(404, "application/problem+json", "{\"title\":7,\"status\":\"404\"}"));
        assertThat(keys(report)).contains("validation.response.body.schema.type");
    }

    @Test
    void anUndocumentedPathFails() {
        HttpRequest unknown = HttpRequest.newBuilder(URI.create("http://localhost:8081/api/bookings/" + id + "/refund"))
                .header("Authorization", "Bearer token").POST(HttpRequest.BodyPublishers.noBody()).build();
        assertThat(keys(OpenApiContract.report(BOOKING, unknown, null, answer(200, "application/json", view()))))
                .contains("validation.request.path.missing");
    }

    private static List<String> keys(ValidationReport report) {
        return report.getMessages().stream().filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                .map(ValidationReport.Message::getKey).toList();
    }

    @Test
    void documentedAnswersPass() {
        assertThat(keys(OpenApiContract.report(BOOKING, getBooking, null, answer(200, "application/json", view())))).isEmpty();
        OpenApiContract.check(BOOKING, getBooking, null, answer(200, "application/json", view()));
        OpenApiContract.check(BOOKING, getBooking, null, answer(404, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Booking not found\",\"status\":404,\"detail\":\"No booking " + id + "\"}"));
        assertThat(OpenApiContract.checked()).isGreaterThanOrEqualTo(2);
    }

    /** A booking as booking-service writes it, nulls included. */
    private String view() {
        return """
                {"id":"%s","status":"AWAITING_PAYMENT","customerEmail":"ada@example.com","customerName":"Ada",\
                "resourceId":"court-1","slotStart":"2030-06-01T14:00:00Z","slotEnd":"2030-06-01T15:00:00Z","quantity":1,\
                "addOns":[],"lineItems":[],"totalMinor":2000,"currency":"EUR","checkoutUrl":"http://localhost:12111/checkout/cs_1",\
                "payBy":"2030-05-01T10:00:00Z","reasonCode":null,"reason":null,"cancellationRequested":false,"refundId":null,\
                "createdAt":"2030-05-01T09:00:00Z","updatedAt":"2030-05-01T09:00:01Z",\
                "payment":{"declinedAttempts":0,"lastDeclineReason":null,"processing":false,"refundAmountMinor":null,\
                "refundFailure":null,"disputed":false}}""".formatted(id);
    }

    private HttpResponse<String> answer(int status, String contentType, String body) {
        return new Answer(status, HttpHeaders.of(Map.of("Content-Type", List.of(contentType)), (name, value) -> true), body,
                getBooking);
    }

    private record Answer(int statusCode, HttpHeaders headers, String body, HttpRequest request) implements HttpResponse<String> {

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
