package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * One page of a queue browse, in bounded work under the queue's lock: it walks the available messages from a
 * cursor ({@code available.tailSet}, O(log n) to find the place) merged with the locked messages after the cursor
 * (a prefetching consumer must not hide the queue from a browser; there are at most as many as consumers have
 * credit), never copying or sorting the whole queue. A page stops at {@code max} messages or after
 * {@link #SCAN_LIMIT} available messages looked at, so a selector that matches little cannot hold the lock long.
 * A cursor is a message's place in delivery order plus one (0: from the start), so pages never repeat a message.
 * Messages waiting for a delivery time or redelivery delay, and expired ones, are left out. Guarded by the queue's
 * lock.
 */
final class BrowseWalk {
    /** Available messages one page looks at, at most. */
    static final int SCAN_LIMIT = 10_000;

    private final QueueContents q;

    BrowseWalk(QueueContents contents) {
        this.q = contents;
    }

    /**
     * @param cursor where the previous page ended ({@link BrowsePage#next()} or a message's cursor); 0 to start
     * @param offset with cursor 0: matching messages to skip first (peers that send no cursor)
     * @param bodies  the messages as the walk sees them (paged-out ones read back)
     * @throws Bodies.Missing if it meets a paged-out message not read back yet
     */
    BrowsePage page(Predicate<WireMessage> filter, long cursor, int offset, int max, Bodies bodies) {
        long now = q.now();
        long after = cursor - 1; // keys are >= 0; cursor 0 means from the start
        List<QueuedMessage> lockedAfter = new ArrayList<>();
        for (QueuedMessage m : q.locked.values()) {
            if (m.orderKey > after && !m.hasExpired(now) && bodies.selects(m, filter)) {
                lockedAfter.add(m);
            }
        }
        lockedAfter.sort(QueueContents.DELIVERY_ORDER);
        Iterator<QueuedMessage> available = cursor == 0 ? q.available.iterator()
                : q.available.after(after);

        List<WireMessage> messages = new ArrayList<>(Math.min(max, 64));
        long[] cursors = new long[max];
        int skip = cursor == 0 ? offset : 0;
        // a peer that pages by offset cannot resume a cut page: it gets the walk of old
        int scanLimit = skip > 0 ? Integer.MAX_VALUE : SCAN_LIMIT;
        int scanned = 0;
        int li = 0;
        QueuedMessage nextAvailable = null;
        long scanStop = -1; // the key the scan limit stopped at, if it did
        while (messages.size() < max) {
            if (nextAvailable == null && scanStop < 0) {
                while (available.hasNext()) {
                    QueuedMessage m = available.next();
                    if (++scanned > scanLimit) {
                        scanStop = m.orderKey - 1; // resume at m itself
                        break;
                    }
                    if (!m.hasExpired(now) && bodies.selects(m, filter)) {
                        nextAvailable = m;
                        break;
                    }
                }
            }
            QueuedMessage lockedNext = li < lockedAfter.size() ? lockedAfter.get(li) : null;
            QueuedMessage m;
            if (lockedNext != null && (nextAvailable == null || lockedNext.orderKey < nextAvailable.orderKey)) {
                if (nextAvailable == null && scanStop >= 0 && lockedNext.orderKey > scanStop) {
                    return new BrowsePage(messages, trim(cursors, messages.size()), false, scanStop + 1);
                }
                m = lockedNext;
                li++;
            } else if (nextAvailable != null) {
                m = nextAvailable;
                nextAvailable = null;
            } else if (scanStop >= 0) {
                return new BrowsePage(messages, trim(cursors, messages.size()), false, scanStop + 1);
            } else {
                return new BrowsePage(messages, trim(cursors, messages.size()), true, 0);
            }
            if (skip > 0) {
                skip--;
                bodies.passed(m);
                continue;
            }
            cursors[messages.size()] = m.orderKey + 1;
            messages.add(bodies.of(m));
        }
        return new BrowsePage(messages, cursors, false, cursors[max - 1]);
    }

    private static long[] trim(long[] cursors, int n) {
        return n == cursors.length ? cursors : Arrays.copyOf(cursors, n);
    }
}
