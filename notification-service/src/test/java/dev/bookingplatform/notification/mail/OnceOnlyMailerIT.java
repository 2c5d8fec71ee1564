package dev.bookingplatform.notification.mail;

import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bookingplatform.testsupport.FreePorts;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each (event, recipient, template) is mailed once: again after a redelivery, and again after the
 * consumer's transaction failed once the mail was out (a crash between send and commit).
 */
@SpringBootTest(properties = { "spring.config.name=notification-service",
        "bookingplatform.notification.from=Buchungen Zürich <bookings@example.com>" })
@RealInfrastructure
@Timeout(120)
class OnceOnlyMailerIT {

    static final GreenMail smtp = new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    static {
        smtp.start();
    }

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
    }

    @BeforeEach
    void emptyMailbox() throws Exception {
        smtp.purgeEmailFromAllMailboxes();
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    @Autowired
    OnceOnlyMailer mailer;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aRedeliveredEventAndACommitThatFailedAfterSendingSendNothingTwice() throws Exception {
        Email email = new Email(UUID.randomUUID(), UUID.randomUUID(), Templates.CONFIRMED, "kim@example.com", "Hi", "Body");

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            mailer.send(email);
            throw new IllegalStateException("the consumer dies before its commit");
        })).hasMessageContaining("dies");
        transactions.executeWithoutResult(status -> mailer.send(email));
        transactions.executeWithoutResult(status -> mailer.send(email));

        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(smtp.getReceivedMessages()[0].getMessageID()).contains(email.eventId().toString());
        assertThat(jdbc.sql("SELECT status || '/' || attempts FROM notification_log WHERE event_id = ?").param(email.eventId())
                .query(String.class).single()).isEqualTo("SENT/3");
    }

    @Test
    void theMailArrivesAsWrittenInUtf8WithTheBookingHeaderAndAnAddressThatIsNoneIsRefused() throws Exception {
        Email email = new Email(UUID.randomUUID(), UUID.randomUUID(), Templates.CONFIRMED, "zoe@example.com",
                "Booking confirmed: Zoë's café", "Dear Zoë,\nsee you at the café. 15,00 €");
        transactions.executeWithoutResult(status -> mailer.send(email));

        jakarta.mail.internet.MimeMessage received = null;
        for (jakarta.mail.internet.MimeMessage message : smtp.getReceivedMessages()) {
            received = message.getMessageID().contains(email.eventId().toString()) ? message : received;
        }
        assertThat(received).isNotNull();
        assertThat(received.getSubject()).isEqualTo(email.subject());
        assertThat(((String) received.getContent()).replace("\r\n", "\n")).isEqualTo(email.body());
        assertThat(received.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(received.getAllRecipients()).extracting(Object::toString).containsExactly("zoe@example.com");
        assertThat(received.getHeader("From")).singleElement().as("the sender's name encoded (RFC 2047), not raw bytes")
                .satisfies(from -> assertThat(from).containsIgnoringCase("=?UTF-8?").doesNotContain("ü").endsWith("<bookings@example.com>"));
        assertThat(received.getFrom()).singleElement().satisfies(from -> assertThat(((jakarta.mail.internet.InternetAddress) from)
                .getPersonal()).isEqualTo("Buchungen Zürich"));
        assertThat(received.getHeader("X-Booking-Id")).containsExactly(email.bookingId().toString());

        Email unaddressable = new Email(UUID.randomUUID(), UUID.randomUUID(), Templates.CONFIRMED, "ann@example.com, bob@example.com",
                "Hi", "Body");
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> mailer.send(unaddressable)))
                .isInstanceOf(org.springframework.mail.MailPreparationException.class).hasMessageNotContaining("example.com");
        assertThat(jdbc.sql("SELECT count(*) FROM notification_log WHERE event_id = ?").param(unaddressable.eventId()).query(Long.class)
                .single()).as("nothing claimed for a mail that can never be sent").isZero();
    }
}
