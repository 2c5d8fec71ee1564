package dev.bookingplatform.payment.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorTextTest {

    @Test
    void keepsTheErrorWithoutTheAddressOrTheKeyItEchoes() {
        String kept = ErrorText.kept("Invalid email address: jo.doe+trip@example.co.uk (customer_email); "
                + "Invalid API Key provided: sk_test_****************abcd; whsec_abc123 refused");

        assertThat(kept).doesNotContain("jo.doe", "example.co.uk", "abcd", "abc123")
                .contains("Invalid email address: <e-mail> (customer_email)", "sk_<redacted>", "whsec_<redacted>");
    }

    @Test
    void shortensALongError() {
        assertThat(ErrorText.kept("x".repeat(5_000))).hasSize(ErrorText.MAX_LENGTH);
        assertThat(ErrorText.kept("connection refused")).isEqualTo("connection refused");
    }
}
