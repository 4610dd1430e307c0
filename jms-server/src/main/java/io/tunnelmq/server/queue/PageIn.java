package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.PeerText;
import io.tunnelmq.protocol.message.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads paged-out messages back before consumers need them: the next batch of them in delivery order, one batch
 * in flight per queue, read off the lock ({@link io.tunnelmq.server.store.pages.PagedMessages#read}) and attached
 * under it, then dispatched. A new batch is asked for when the head of the queue is paged out, and ahead of that
 * whenever fewer than {@link #LOW_WATER} messages in memory wait while consumers have credit, so a consumer draining
 * a backlog finds the next messages in memory.
 *
 * <p>With selecting consumers, a read-back message none of them selects goes back to disk only, marked with the
 * consumers' generation ({@link QueuedMessage#unselectedAt}) so it is not read again until a consumer comes or goes:
 * a selector that matches little scans the backlog in batches instead of pulling it into memory. Guarded by the
 * queue's lock, except the read itself.
 */
final class PageIn {
    private static final Logger log = LoggerFactory.getLogger(PageIn.class);
    /** The most messages one read brings back. */
    static final int BATCH_MESSAGES = 512;
    /** The most bytes one read brings back (a message larger than this comes alone). */
    static final long BATCH_BYTES = 4 << 20;
    /** Read ahead when fewer messages than this wait in memory. */
    static final int LOW_WATER = BATCH_MESSAGES;
    /** Entries one batch looks at, at most: bounded work under the lock. */
    static final int WALK_LIMIT = 16 * BATCH_MESSAGES;
    /** After a failed read, how long until the next try. */
    static final long RETRY_MILLIS = 1_000;

    private final QueueContents q;
    private final QueueLock lock;
    private Dispatcher dispatcher;
    private boolean reading;
    private boolean failing;

    PageIn(QueueContents contents, QueueLock lock) {
        this.q = contents;
        this.lock = lock;
    }

    /** Set once: the two call each other. */
    void dispatchWith(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Under the lock: reads the next batch back unless one is being read (or the disk failed a moment ago). */
    void request() {
        if (reading || failing || q.pagedOut == 0 || q.retired) {
            return;
        }
        List<QueuedMessage> batch = nextBatch();
        if (batch.isEmpty()) {
            return;
        }
        reading = true;
        long[] storeIds = new long[batch.size()];
        long[] pageRefs = new long[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            storeIds[i] = batch.get(i).storeId;
            pageRefs[i] = batch.get(i).pageRef;
        }
        q.outbox.add(() -> q.services.pages().read(storeIds, pageRefs)
                .whenComplete((messages, e) -> arrived(batch, messages, e)));
    }

    /**
     * Under the lock, after a dispatch: reads ahead if the messages in memory run low and someone could take some.
     * (Paged-out scheduled messages make the count look lower: at worst a read comes early. Counting, not walking,
     * keeps a long in-memory head from being walked at every dispatch.)
     */
    void readAhead() {
        if (q.pagedOut > 0 && q.available.size() - q.pagedOut < LOW_WATER && q.consumers.anyCredit()) {
            request();
        }
    }

    private List<QueuedMessage> nextBatch() {
        boolean selective = q.consumers.anySelector();
        int generation = q.consumers.generation();
        List<QueuedMessage> batch = new ArrayList<>();
        long bytes = 0;
        int walked = 0;
        for (QueuedMessage m : q.available) {
            if (++walked > WALK_LIMIT || batch.size() == BATCH_MESSAGES) {
                break;
            }
            if (!m.isPagedOut() || selective && m.unselectedAt == generation) {
                continue;
            }
            if (!batch.isEmpty() && bytes + m.size > BATCH_BYTES) {
                break;
            }
            batch.add(m);
            bytes += m.size;
        }
        return batch;
    }

    /** Off the lock: the read finished. */
    private void arrived(List<QueuedMessage> batch, WireMessage[] messages, Throwable failure) {
        lock.lock();
        try {
            reading = false;
            if (failure != null) {
                failed(failure);
                return;
            }
            List<QueuedMessage> readBack = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                QueuedMessage m = batch.get(i);
                if (m.gone || !m.isPagedOut()) {
                    continue; // settled, moved or dropped while it was read
                }
                if (messages[i] == null) {
                    lost(m);
                    continue;
                }
                q.pagedIn(m, messages[i]);
                readBack.add(m);
            }
            dispatcher.dispatch();
            if (q.consumers.anySelector()) {
                pageOutUnselected(readBack);
            }
        } finally {
            lock.unlockAndDrain();
        }
    }

    /** What was read back for selecting consumers and none of them took goes back to disk only. */
    private void pageOutUnselected(List<QueuedMessage> readBack) {
        int generation = q.consumers.generation();
        for (QueuedMessage m : readBack) {
            if (m.pagedIn && !m.isLocked() && !m.gone && !q.consumers.anySelects(m.message, m.deliveryCount)) {
                q.pageOutAgain(m);
                m.unselectedAt = generation;
            }
        }
        readAhead();
    }

    /** The store no longer has a message the queue holds: nothing can deliver it, so it leaves, loudly. */
    private void lost(QueuedMessage m) {
        log.error("queue {}: paged-out message {} (store id {}, page {}) could not be found on disk; it is dropped",
                q.shownName, PeerText.of(m.messageId), m.storeId, m.pageRef);
        if (!q.available.remove(m)) {
            q.scheduled.remove(m);
        }
        q.remove(m);
    }

    private void failed(Throwable failure) {
        log.error("queue {}: reading paged-out messages back failed; trying again in {} ms: {}", q.shownName,
                RETRY_MILLIS, failure.toString());
        failing = true;
        q.services.timer().schedule(() -> {
            lock.lock();
            try {
                failing = false;
                request();
            } finally {
                lock.unlockAndDrain();
            }
        }, RETRY_MILLIS);
    }
}
