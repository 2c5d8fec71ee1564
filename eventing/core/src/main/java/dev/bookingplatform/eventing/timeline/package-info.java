/**
 * One booking's steps as this service saw them, for the ops timeline: what it published (outbox), what each of its
 * consumers did with what it read (inbox), dead letters and what ops did about them, and whatever a service adds
 * of its own ({@link dev.bookingplatform.eventing.timeline.TimelineSource}: e-mails, webhooks, Stripe calls).
 * Services never call each other: the ops tool asks each one and puts the steps in causal order.
 */
@NullMarked
package dev.bookingplatform.eventing.timeline;

import org.jspecify.annotations.NullMarked;
