package dev.bookingplatform.stripesim;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;

import org.jspecify.annotations.Nullable;

/**
 * Every event the simulated account produced, for {@code GET /v1/events}: newest first, filtered by
 * {@code created[gte]}, paged with {@code starting_after} and {@code limit}, like Stripe's list.
 */
final class EventLog {

    private final List<JsonObject> events = new ArrayList<>();

    synchronized void add(JsonObject event) {
        events.add(event);
    }

    synchronized List<JsonObject> all() {
        return List.copyOf(events);
    }

    /** One page, newest first. */
    synchronized Page page(long createdGte, @Nullable String startingAfter, int limit) {
        List<JsonObject> newestFirst = new ArrayList<>();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).get("created").getAsLong() >= createdGte) {
                newestFirst.add(events.get(i));
            }
        }
        int from = 0;
        if (startingAfter != null) {
            for (int i = 0; i < newestFirst.size(); i++) {
                if (newestFirst.get(i).get("id").getAsString().equals(startingAfter)) {
                    from = i + 1;
                    break;
                }
            }
        }
        int to = Math.min(newestFirst.size(), from + limit);
        return new Page(List.copyOf(newestFirst.subList(from, to)), to < newestFirst.size());
    }

    record Page(List<JsonObject> events, boolean hasMore) {
    }
}
