package dev.bookingplatform.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.RunningService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each service serves exactly the contract checked in under {@code docs/openapi}: a change to an API is a change to
 * that file, seen in review. After an intended change, write the served documents over the checked-in ones with
 * {@code ./mvnw -pl system-tests verify -Dit.test=OpenApiDocumentsIT -Dtest=none -Dopenapi.update=true} and commit
 * the diff.
 */
@Timeout(180)
class OpenApiDocumentsIT {

    static final YAMLMapper YAML = new YAMLMapper();

    final BookingSystem system = TheSystem.get();

    @Test
    void everyServiceServesTheCheckedInContract() throws Exception {
        boolean update = Boolean.getBoolean("openapi.update");
        HttpClient http = HttpClient.newHttpClient();
        for (RunningService service : List.of(system.booking(), system.inventory(), system.payment(), system.notification())) {
            HttpResponse<String> served = http.send(HttpRequest.newBuilder(URI.create(service.url() + "/v3/api-docs.yaml")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).as(service.name()).isEqualTo(200);
            var checkedIn = OpenApiContract.document(service.name());
            if (update) {
                Files.createDirectories(checkedIn.getParent());
                Files.writeString(checkedIn, served.body());
                continue;
            }
            assertThat(checkedIn).as("docs/openapi/%s.yaml; write it with -Dopenapi.update=true", service.name()).exists();
            JsonNode expected = YAML.readTree(Files.readString(checkedIn));
            JsonNode actual = YAML.readTree(served.body());
            assertThat(actual).as("""
                    %s serves a contract that differs from docs/openapi/%s.yaml. If the change is intended, run
                    ./mvnw -pl system-tests verify -Dit.test=OpenApiDocumentsIT -Dtest=none -Dopenapi.update=true
                    and commit the documents' diff""", service.name(), service.name()).isEqualTo(expected);
        }
    }
}
