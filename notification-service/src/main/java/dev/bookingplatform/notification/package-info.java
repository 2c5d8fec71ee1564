/** Notification service: e-mail to customers over SMTP, one per event, never twice. */
@NullMarked
package dev.bookingplatform.notification;

import org.jspecify.annotations.NullMarked;
