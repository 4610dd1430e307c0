package io.tunnelmq.server.session;

import io.tunnelmq.protocol.frame.Browse;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.selector.Selector;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoredQueue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Answers a {@link Browse} of a queue this broker shares with others: its messages wait in the shared store (this
 * broker holds only what it claimed), so the page is read from there, in runs, off the event loop, with the same
 * cursor rules as a queue of one broker ({@link QueueBrowsing}): a cursor is the position after a message.
 */
final class SharedBrowsing {
    /** Messages one run reads. */
    static final int RUN = 256;
    /** The most messages one page looks at before it answers with what it found (and a cursor to go on from). */
    static final int SCAN_LIMIT = 16 * RUN;

    private final SharedQueues store;
    private final StoredQueue queue;
    private final Selector selector;
    /** This broker's queue of that name, if it has one: what it claimed and still holds. */
    private final PeekLockQueue local;
    private final int wanted;
    private final long budget;
    private final LongSupplier clock;
    private final Executor executor;
    private final List<WireMessage> page = new ArrayList<>();
    private long bytes;
    private int skip;
    private int scanned;

    private SharedBrowsing(SharedQueues store, StoredQueue queue, PeekLockQueue local, Selector selector, int wanted,
                           int skip, long budget, LongSupplier clock, Executor executor) {
        this.store = store;
        this.queue = queue;
        this.local = local;
        this.selector = selector;
        this.wanted = wanted;
        this.skip = skip;
        this.budget = budget;
        this.clock = clock;
        this.executor = executor;
    }

    /**
     * @param wanted  the most messages the page holds
     * @param budget  the most message bytes (by size estimate) it holds; the first message always fits
     * @return completes on {@code executor} (hop to the event loop before answering)
     */
    static CompletableFuture<QueueBrowsing.Page> page(Browse request, SharedQueues store, PeekLockQueue local,
                                                      Selector selector, int wanted, long budget, LongSupplier clock,
                                                      Executor executor) {
        SharedBrowsing browsing = new SharedBrowsing(store, StoredQueue.queue(request.destination().name()), local,
                selector, wanted, request.cursor() == 0 ? request.offset() : 0, budget, clock, executor);
        return browsing.from(request.cursor());
    }

    private CompletableFuture<QueueBrowsing.Page> from(long cursor) {
        return store.browse(queue, cursor, RUN, clock.getAsLong(), executor).thenCompose(rows -> {
            long next = cursor;
            for (int i = 0; i < rows.messages().size(); i++) {
                WireMessage m = rows.messages().get(i);
                long after = rows.keys()[i] + 1;
                if (Selector.matches(selector, m) && !completedHere(rows.mine()[i], m)) {
                    if (skip > 0) {
                        skip--;
                    } else if (page.size() == wanted || !page.isEmpty() && bytes + m.sizeEstimate() > budget) {
                        return done(false, next);
                    } else {
                        page.add(m);
                        bytes += m.sizeEstimate();
                    }
                }
                next = after;
            }
            scanned += rows.messages().size();
            if (rows.end()) {
                return done(true, 0);
            }
            if (scanned >= SCAN_LIMIT) {
                return done(false, next);
            }
            return from(next);
        });
    }

    /** Claimed by this broker and no longer held: completed, its delete on its way to the store. */
    private boolean completedHere(boolean mine, WireMessage m) {
        return mine && m.messageId() != null && (local == null || !local.sharing().holds(m.messageId()));
    }

    private CompletableFuture<QueueBrowsing.Page> done(boolean last, long cursor) {
        return CompletableFuture.completedFuture(new QueueBrowsing.Page(List.copyOf(page), last, cursor));
    }
}
