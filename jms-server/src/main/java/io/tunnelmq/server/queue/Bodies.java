package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.pages.PagedMessages;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The messages a walk over the queue (a browse page, an operator's page) looks at: a message's own, or one read
 * back from disk for this walk only, so browsing a paged queue does not page it in. A walk that meets a paged-out
 * message it has not read yet stops with {@link Missing}; {@link #walk} then reads that one and the
 * paged-out ones after it back off the lock, and walks again (a walk changes nothing until it has every message it
 * needs, so walking again is safe).
 *
 * <p>A walk that passes many paged-out messages (a browse that skips an offset, a selector that matches little)
 * keeps only what it may still hand out: a read-back message the filter rejected, or one the walk skipped, is
 * remembered by its verdict alone ({@link #selects}, {@link #passed}). Each stop reads twice as many as the one
 * before, up to {@link #MAX_READ_AHEAD} messages or {@link #MAX_READ_AHEAD_BYTES}, so walking a backlog of n
 * messages stops O(log n) times for small ones, not n / 64.
 */
final class Bodies {
    /** Paged-out messages read back at the first stop, from the missing one on. */
    static final int READ_AHEAD = 64;
    /** The most read back at one stop. */
    static final int MAX_READ_AHEAD = 4096;
    /** The most bytes (message size estimates) read back at one stop, the missing message always included. */
    static final long MAX_READ_AHEAD_BYTES = 4L << 20;

    /** Thrown by {@link #of} when a paged-out message has not been read back yet. No stack trace: it is a signal. */
    static final class Missing extends RuntimeException {
        private Missing() {
            super(null, null, false, false);
        }
    }

    private static final Missing MISSING = new Missing();

    private final Map<QueuedMessage, WireMessage> read = new IdentityHashMap<>();
    /** Paged-out messages whose body was let go: whether the walk's filter selected them. */
    private final Map<QueuedMessage, Boolean> verdicts = new IdentityHashMap<>();
    private int readAhead = READ_AHEAD;
    private QueuedMessage missing;
    /** The store ids and page references of the batch {@link #toRead} chose. */
    private long[][] pending;

    /**
     * Runs a walk under the queue's lock; when it meets paged-out messages it has not seen, reads them back off the
     * lock (blocking the caller) and runs it again.
     */
    static <T> T walk(QueueLock lock, QueueContents q, Function<Bodies, T> walk) {
        Bodies bodies = new Bodies();
        while (true) {
            List<QueuedMessage> toRead = new ArrayList<>();
            T page = lock.underLock(() -> {
                try {
                    return walk.apply(bodies);
                } catch (Missing missing) {
                    toRead.addAll(bodies.toRead(q));
                    return null;
                }
            });
            if (toRead.isEmpty()) {
                return page;
            }
            bodies.readBack(toRead, q.services.pages(), q.name);
        }
    }

    /** The message, read back if it is paged out; under the queue's lock. @throws Missing if it is not read yet */
    WireMessage of(QueuedMessage m) {
        if (!m.isPagedOut()) {
            return m.message;
        }
        WireMessage body = read.get(m);
        if (body == null) {
            missing = m;
            throw MISSING;
        }
        return body;
    }

    /**
     * Whether {@code filter} (the walk's one filter) selects the message. A paged-out one it rejects is let go at
     * once, its verdict kept; a selected one stays, for the walk may hand it out.
     *
     * @throws Missing if it is paged out and not read yet
     */
    boolean selects(QueuedMessage m, Predicate<WireMessage> filter) {
        if (!m.isPagedOut()) {
            return filter.test(m.message);
        }
        Boolean verdict = verdicts.get(m);
        if (verdict != null) {
            return verdict;
        }
        boolean selected = filter.test(of(m));
        if (!selected) {
            letGo(m, false);
        }
        return selected;
    }

    /** The walk passed over a message it selected (skipped it): a read-back body is let go. */
    void passed(QueuedMessage m) {
        if (m.isPagedOut() && read.containsKey(m)) {
            letGo(m, true);
        }
    }

    private void letGo(QueuedMessage m, boolean selected) {
        read.remove(m);
        verdicts.put(m, selected);
    }

    /** Under the lock, after {@link Missing}: the missing message and the paged-out ones after it in order. */
    List<QueuedMessage> toRead(QueueContents q) {
        List<QueuedMessage> batch = new ArrayList<>();
        batch.add(missing);
        long bytes = missing.size;
        if (q.available.contains(missing)) {
            for (Iterator<QueuedMessage> after = q.available.after(missing.orderKey); after.hasNext(); ) {
                QueuedMessage m = after.next();
                if (batch.size() == readAhead || bytes + m.size > MAX_READ_AHEAD_BYTES) {
                    break;
                }
                if (m.isPagedOut() && !read.containsKey(m) && !verdicts.containsKey(m)) {
                    batch.add(m);
                    bytes += m.size;
                }
            }
        }
        readAhead = Math.min(MAX_READ_AHEAD, readAhead * 2);
        long[] storeIds = new long[batch.size()];
        long[] pageRefs = new long[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            storeIds[i] = batch.get(i).storeId;
            pageRefs[i] = batch.get(i).pageRef;
        }
        pending = new long[][] {storeIds, pageRefs};
        return batch;
    }

    /**
     * Off the lock: reads {@code batch} ({@link #toRead}) back, blocking.
     *
     * @throws IllegalStateException if the disk failed the read, or the missing message is not there while its
     *                               queue still holds it
     */
    void readBack(List<QueuedMessage> batch, PagedMessages pages, String queue) {
        WireMessage[] messages;
        try {
            messages = pages.read(pending[0], pending[1]).join();
        } catch (CompletionException e) {
            throw new IllegalStateException("queue " + queue + ": paged-out messages could not be read back from"
                    + " disk: " + e.getCause(), e.getCause());
        }
        for (int i = 0; i < batch.size(); i++) {
            if (messages[i] != null) {
                read.put(batch.get(i), messages[i]);
            } else if (i == 0 && !batch.get(0).gone) {
                throw new IllegalStateException("queue " + queue + ": paged-out message " + batch.get(0).messageId
                        + " is not on disk");
            }
        }
    }
}
