package dev.bookingplatform.booking.api;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriComponentsBuilder;

import dev.bookingplatform.booking.saga.BookingStatus;

/**
 * RFC 8288 {@code Link} header for a page of {@code GET /api/bookings}: first, prev, next and last, as references
 * relative to the API's root so they stay right behind a gateway that rewrites the host.
 */
final class PageLinks {

    private PageLinks() {
    }

    /** The furthest page the list answers ({@code page}'s bound): links never point past it. */
    static final long MAX_PAGE = 10_000;

    static String of(BookingPage page, @Nullable BookingStatus status) {
        List<String> links = new ArrayList<>(4);
        long last = Math.min(MAX_PAGE, Math.max(0, page.totalPages() - 1));
        links.add(link(0, page.size(), status, "first"));
        if (page.page() > 0) {
            links.add(link(Math.min(page.page() - 1, last), page.size(), status, "prev"));
        }
        if (page.page() < last) {
            links.add(link(page.page() + 1, page.size(), status, "next"));
        }
        links.add(link(last, page.size(), status, "last"));
        return String.join(", ", links);
    }

    private static String link(long page, int size, @Nullable BookingStatus status, String rel) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/api/bookings").queryParam("page", page).queryParam("size", size);
        if (status != null) {
            uri.queryParam("status", status.name());
        }
        return "<" + uri.build().toUriString() + ">; rel=\"" + rel + "\"";
    }
}
