/** The HTTP edge every service shares: RFC 9457 problem details for every error, a request size limit. */
@NullMarked
package dev.bookingplatform.web;

import org.jspecify.annotations.NullMarked;
