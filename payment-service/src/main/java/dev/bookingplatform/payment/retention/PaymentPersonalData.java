package dev.bookingplatform.payment.retention;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.bookingplatform.eventing.erasure.PersonalDataEraser;

/** An erasure's part in payment-service: the customer's e-mail address and name on sessions and Stripe intents. */
@Component
class PaymentPersonalData implements PersonalDataEraser {

    private final JdbcClient jdbc;

    PaymentPersonalData(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void erase(List<UUID> bookingIds) {
        String[] ids = bookingIds.stream().map(UUID::toString).toArray(String[]::new);
        jdbc.sql("UPDATE payment_session SET customer_email = 'erased@invalid', customer_name = NULL WHERE booking_id = ANY (?::uuid[])")
                .param(ids).update();
        jdbc.sql("UPDATE stripe_intent SET payload = payload - 'customerEmail' - 'customerName' WHERE booking_id = ANY (?::uuid[])")
                .param(ids).update();
    }
}
