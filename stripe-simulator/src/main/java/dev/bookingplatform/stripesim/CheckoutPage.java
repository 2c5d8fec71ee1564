package dev.bookingplatform.stripesim;

import java.util.Locale;

/** The simulator's checkout page: what the customer sees at the Checkout Session's URL. */
final class CheckoutPage {

    private CheckoutPage() {
    }

    static String form(CheckoutSession session) {
        if (!"open".equals(session.status())) {
            return closed(session);
        }
        return page("Checkout", """
                <p>Amount due: <strong id="amount">%s</strong></p>
                <form method="post" action="/checkout/%s/pay"><button id="pay" type="submit">Pay</button></form>
                <form method="post" action="/checkout/%s/pay-later"><button id="pay-later" type="submit">Pay by bank debit (settles later)</button></form>
                <form method="post" action="/checkout/%s/decline"><button id="decline" type="submit">Decline (card refused)</button></form>
                <p class="note">Stripe simulator: no real card is charged.</p>""".formatted(amount(session), session.id(), session.id(),
                session.id()));
    }

    static String result(CheckoutSession session, boolean paid) {
        return page(paid ? "Payment received" : "Card declined", paid
                ? "<p id=\"result\">" + ("unpaid".equals(session.paymentStatus()) ? "Payment of " + amount(session)
                        + " is processing." : "Paid " + amount(session) + ".") + " You can close this page.</p>"
                : "<p id=\"result\">Your card was declined.</p>");
    }

    static String closed(CheckoutSession session) {
        return page("Checkout closed", "<p id=\"result\">This checkout is " + session.status() + ".</p>");
    }

    static String notFound(String sessionId) {
        return page("Not found", "<p>No checkout session " + sessionId.replaceAll("[^A-Za-z0-9_]", "") + ".</p>");
    }

    private static String amount(CheckoutSession session) {
        return String.format(Locale.ROOT, "%d.%02d %s", session.amountTotal() / 100, session.amountTotal() % 100,
                session.currency().toUpperCase(Locale.ROOT));
    }

    private static String page(String title, String body) {
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>%s</title>
                <style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto}button{margin:.3rem 0;padding:.5rem 1rem}</style>
                </head><body><h1>%s</h1>%s</body></html>""".formatted(title, title, body);
    }
}
