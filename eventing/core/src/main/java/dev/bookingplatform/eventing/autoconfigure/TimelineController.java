package dev.bookingplatform.eventing.autoconfigure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.bookingplatform.eventing.timeline.TimelineEntry;
import dev.bookingplatform.eventing.timeline.TimelineSource;

/**
 * {@code GET /ops/timeline/{aggregateId}}: this service's steps of one booking (or resource), by its own clock. The
 * ops tool asks every service and orders the steps by cause, since clocks of different machines disagree.
 */
@RestController
@RequestMapping("/ops/timeline")
final class TimelineController {

    private final String service;

    private final List<TimelineSource> sources;

    TimelineController(String service, List<TimelineSource> sources) {
        this.service = service;
        this.sources = sources;
    }

    @GetMapping("/{aggregateId}")
    Map<String, Object> timeline(@PathVariable String aggregateId) {
        List<TimelineEntry> entries = new ArrayList<>();
        sources.forEach(source -> entries.addAll(source.entriesOf(aggregateId)));
        entries.sort(Comparator.comparing(TimelineEntry::at));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", service);
        body.put("aggregateId", aggregateId);
        body.put("entries", entries);
        return body;
    }
}
