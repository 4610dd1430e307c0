package io.tunnelmq.server.console;

import io.tunnelmq.server.queue.QueueFigures;
import io.tunnelmq.server.queue.QueueStats;
import io.tunnelmq.server.queue.QueueTotals;

/** A queue's figures as the console's pages read them. */
final class QueueFiguresJson {
    private QueueFiguresJson() {
    }

    /** Writes the members of one queue's object (the caller opens and closes it). */
    static void write(Json json, QueueFigures figures) {
        QueueStats s = figures.stats();
        QueueTotals t = figures.totals();
        json.field("held", s.depth())
                .field("available", s.available())
                .field("locked", s.locked())
                .field("scheduled", s.scheduled())
                .field("consumers", s.consumers())
                .field("bytes", s.bytes())
                .field("enqueued", t.enqueued())
                .field("completed", t.completed())
                .field("abandoned", t.abandoned())
                .field("expired", t.expired())
                .field("deadLettered", t.deadLettered())
                .field("oldestMillis", figures.oldestAvailableMillis());
    }
}
