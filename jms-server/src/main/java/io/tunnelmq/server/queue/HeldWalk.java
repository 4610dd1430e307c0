package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Pages over everything a queue holds, for operators: available, locked and scheduled messages merged in delivery
 * order, in bounded work under the queue's lock, as {@link BrowseWalk} does for clients (a page looks at no more
 * than {@link BrowseWalk#SCAN_LIMIT} available messages; locked ones are few, as many as consumers have credit;
 * scheduled ones are sorted per page). {@link #take} also takes the waiting ones out of the queue, to be moved.
 * Expired messages are left out (the expiry sweep deals with them). Guarded by the queue's lock.
 */
final class HeldWalk {
    private final QueueContents q;

    HeldWalk(QueueContents contents) {
        this.q = contents;
    }

    /** A page of every held message, none of them changed. */
    HeldPage inspect(Predicate<WireMessage> filter, long cursor, int max, Bodies bodies) {
        List<QueuedMessage> found = new ArrayList<>();
        long next = walk(filter, cursor, max, true, found, bodies);
        List<HeldMessage> page = new ArrayList<>(found.size());
        for (QueuedMessage m : found) {
            page.add(view(m, bodies));
        }
        return new HeldPage(page, next == 0, next, 0);
    }

    /**
     * A page of the waiting messages (available and scheduled), taken out of the queue: counted out as if completed,
     * but their store records are left for the caller, who removes them in the same write that stores them anew.
     */
    HeldPage take(Predicate<WireMessage> filter, long cursor, int max, Bodies bodies) {
        int locked = 0;
        if (cursor == 0) {
            for (QueuedMessage m : q.locked.values()) {
                if (bodies.selects(m, filter)) {
                    locked++;
                }
            }
        }
        List<QueuedMessage> found = new ArrayList<>();
        long next = walk(filter, cursor, max, false, found, bodies);
        List<HeldMessage> page = new ArrayList<>(found.size());
        for (QueuedMessage m : found) {
            page.add(view(m, bodies));
            if (!q.available.remove(m)) {
                q.scheduled.remove(m); // its delivery timer finds it gone and does nothing
            }
            q.remove(m);
        }
        return new HeldPage(page, next == 0, next, locked);
    }

    /**
     * Collects up to {@code max} matching messages after the cursor into {@code out}.
     *
     * @return the cursor after what was looked at; 0 at the end
     */
    private long walk(Predicate<WireMessage> filter, long cursor, int max, boolean withLocked,
                      List<QueuedMessage> out, Bodies bodies) {
        long now = q.now();
        long after = cursor - 1; // keys are >= 0; cursor 0 means from the start
        List<QueuedMessage> others = new ArrayList<>();
        if (withLocked) {
            for (QueuedMessage m : q.locked.values()) {
                if (m.orderKey > after && !m.hasExpired(now) && bodies.selects(m, filter)) {
                    others.add(m);
                }
            }
        }
        for (QueuedMessage m : q.scheduled) {
            if (m.orderKey > after && !m.hasExpired(now) && bodies.selects(m, filter)) {
                others.add(m);
            }
        }
        others.sort(QueueContents.DELIVERY_ORDER);
        Iterator<QueuedMessage> available = cursor == 0 ? q.available.iterator()
                : q.available.after(after);
        int scanned = 0;
        int oi = 0;
        QueuedMessage nextAvailable = null;
        long scanStop = -1; // the key the scan limit stopped at, if it did
        while (out.size() < max) {
            if (nextAvailable == null && scanStop < 0) {
                while (available.hasNext()) {
                    QueuedMessage m = available.next();
                    if (++scanned > BrowseWalk.SCAN_LIMIT) {
                        scanStop = m.orderKey - 1; // resume at m itself
                        break;
                    }
                    if (!m.hasExpired(now) && bodies.selects(m, filter)) {
                        nextAvailable = m;
                        break;
                    }
                }
            }
            QueuedMessage other = oi < others.size() ? others.get(oi) : null;
            if (other != null && (nextAvailable == null || other.orderKey < nextAvailable.orderKey)) {
                if (nextAvailable == null && scanStop >= 0 && other.orderKey > scanStop) {
                    return scanStop + 1;
                }
                out.add(other);
                oi++;
            } else if (nextAvailable != null) {
                out.add(nextAvailable);
                nextAvailable = null;
            } else if (scanStop >= 0) {
                return scanStop + 1;
            } else {
                return 0;
            }
        }
        boolean more = nextAvailable != null || oi < others.size() || scanStop >= 0 || available.hasNext();
        return more ? out.get(out.size() - 1).orderKey + 1 : 0;
    }

    private HeldMessage view(QueuedMessage m, Bodies bodies) {
        HeldMessage.State state = m.isLocked() ? HeldMessage.State.LOCKED
                : q.scheduled.contains(m) ? HeldMessage.State.SCHEDULED : HeldMessage.State.AVAILABLE;
        return new HeldMessage(bodies.of(m), state, m.deliveryCount, m.owner, m.lockedUntil, m.orderKey + 1,
                m.storeId);
    }
}
