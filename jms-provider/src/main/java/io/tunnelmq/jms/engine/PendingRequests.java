package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The requests of one connection that await the broker's answer, by request id. Ids are connection-wide and
 * start at 1. Each request is given up after the request timeout; since all share one timeout, insertion
 * order is deadline order, and one timer aimed at the oldest request serves them all. Confined to the
 * connection's event loop; answers are handed to the {@link Reply} only after the request left the table,
 * so a reply may start new requests.
 */
final class PendingRequests {
    private static final Logger log = LoggerFactory.getLogger(PendingRequests.class);

    /** One request awaiting its answer. */
    record Entry(long id, int channel, String what, Reply reply, long deadlineNanos) {
    }

    private final Map<Long, Entry> byId = new LinkedHashMap<>();
    private final ScheduledExecutorService timer;
    private final long timeoutMillis;
    private final String brokerAddress;
    private long lastId;
    private boolean sweepScheduled;

    /**
     * @param timer         the connection's event loop
     * @param timeoutMillis how long a request may go unanswered
     * @param brokerAddress host:port, for messages
     */
    PendingRequests(ScheduledExecutorService timer, long timeoutMillis, String brokerAddress) {
        this.timer = timer;
        this.timeoutMillis = timeoutMillis;
        this.brokerAddress = brokerAddress;
    }

    /**
     * Registers a request before it is written.
     *
     * @param what names the request in a timeout message, e.g. "Commit on session 2"
     * @return the request id to put in the frame
     */
    long register(int channel, String what, Reply reply) {
        long id = ++lastId;
        byId.put(id, new Entry(id, channel, what, reply, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis)));
        if (!sweepScheduled) {
            scheduleSweep(TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
        }
        return id;
    }

    /** Removes and returns the request with this id, or null if it is not (or no longer) pending. */
    Entry take(long id) {
        return byId.remove(id);
    }

    /** Fails every request of one session channel. */
    void failChannel(int channel, EngineException cause) {
        List<Entry> failed = new ArrayList<>();
        for (Iterator<Entry> it = byId.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.channel() == channel) {
                it.remove();
                failed.add(e);
            }
        }
        failEach(failed, cause);
    }

    /** Fails every pending request. */
    void failAll(EngineException cause) {
        List<Entry> failed = new ArrayList<>(byId.values());
        byId.clear();
        failEach(failed, cause);
    }

    int size() {
        return byId.size();
    }

    private void scheduleSweep(long delayNanos) {
        sweepScheduled = true;
        timer.schedule(this::sweep, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    private void sweep() {
        sweepScheduled = false;
        long now = System.nanoTime();
        List<Entry> expired = new ArrayList<>();
        for (Iterator<Entry> it = byId.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.deadlineNanos() - now > 0) {
                break;
            }
            it.remove();
            expired.add(e);
        }
        if (!byId.isEmpty()) {
            scheduleSweep(byId.values().iterator().next().deadlineNanos() - now);
        }
        for (Entry e : expired) {
            safely(e, new EngineException(ErrorCode.TIMEOUT, e.what() + " got no answer from the broker at "
                    + brokerAddress + " within " + timeoutMillis + " ms"));
        }
    }

    private static void failEach(List<Entry> entries, EngineException cause) {
        for (Entry e : entries) {
            safely(e, cause);
        }
    }

    private static void safely(Entry e, EngineException cause) {
        try {
            e.reply().failed(cause);
        } catch (RuntimeException bug) {
            // one broken callback must not keep the other requests from failing
            log.error("failing request {} ({}) threw", e.id(), e.what(), bug);
        }
    }
}
