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

/**
 * The messages a walk over the queue (a browse page, an operator's page) looks at: a message's own, or one read
 * back from disk for this walk only, so browsing a paged queue does not page it in. A walk that meets a paged-out
 * message it has not read yet stops with {@link Missing}; {@link #walk} then reads that one and the
 * paged-out ones after it back off the lock, and walks again (a walk changes nothing until it has every message it
 * needs, so walking again is safe).
 */
final class Bodies {
    /** Paged-out messages read back per stop, from the missing one on. */
    static final int READ_AHEAD = 64;

    /** Thrown by {@link #of} when a paged-out message has not been read back yet. No stack trace: it is a signal. */
    static final class Missing extends RuntimeException {
        private Missing() {
            super(null, null, false, false);
        }
    }

    private static final Missing MISSING = new Missing();

    private final Map<QueuedMessage, WireMessage> read = new IdentityHashMap<>();
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

    /** Under the lock, after {@link Missing}: the missing message and the paged-out ones after it in order. */
    List<QueuedMessage> toRead(QueueContents q) {
        List<QueuedMessage> batch = new ArrayList<>();
        batch.add(missing);
        if (q.available.contains(missing)) {
            for (Iterator<QueuedMessage> after = q.available.after(missing.orderKey); after.hasNext(); ) {
                QueuedMessage m = after.next();
                if (batch.size() == READ_AHEAD) {
                    break;
                }
                if (m.isPagedOut() && !read.containsKey(m)) {
                    batch.add(m);
                }
            }
        }
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
