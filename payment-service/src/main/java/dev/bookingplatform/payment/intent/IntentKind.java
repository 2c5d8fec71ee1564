package dev.bookingplatform.payment.intent;

/** What an intent asks of Stripe. */
public enum IntentKind {

    CREATE_SESSION, EXPIRE_SESSION, REFUND
}
