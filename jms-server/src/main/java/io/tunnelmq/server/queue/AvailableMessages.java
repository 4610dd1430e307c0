package io.tunnelmq.server.queue;

import java.util.AbstractCollection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * A queue's available messages in delivery order: higher JMSPriority first, by arrival within a priority
 * ({@link QueuedMessage#orderKey}). One {@link MessageBand} per priority, so arrivals append and dispatch takes from
 * the front without a tree node, a comparison chain or a rebalance per message (a {@code TreeSet} here cost about 8 %
 * of the broker's CPU in a 1→1 run). A message is known by its place: two with one order key are one.
 *
 * <p>Takes out many at once with {@link #sweep} (dispatch for selectors, expiry, hand-backs), in time proportional
 * to what it visits; one by one with {@link #remove}, which shifts the shorter side of a band. Its iterators are
 * read-only. Not thread-safe: guarded by the queue's lock; changing it while a sweep or an iterator runs fails fast.
 */
final class AvailableMessages extends AbstractCollection<QueuedMessage> {
    /** What a sweep does with the message it visits. */
    enum Sweep { KEEP, TAKE, STOP }

    /** Decides, message by message in delivery order, what a {@link #sweep} does. */
    @FunctionalInterface
    interface Sweeper {
        Sweep visit(QueuedMessage m);
    }

    private static final int BANDS = 10;

    private final MessageBand[] bands = new MessageBand[BANDS];
    /** Bit b set while band b holds messages: the first is found without looking at empty bands. */
    private int held;
    private int size;
    private int changes;
    private boolean sweeping;

    AvailableMessages() {
        for (int b = 0; b < BANDS; b++) {
            bands[b] = new MessageBand();
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public boolean add(QueuedMessage m) {
        changing();
        m.unselectedAt = -1; // back, perhaps with another delivery count: judged afresh
        int b = QueuedMessage.bandOf(m.orderKey);
        if (!bands[b].add(m)) {
            return false;
        }
        held |= 1 << b;
        size++;
        return true;
    }

    @Override
    public boolean remove(Object o) {
        if (!(o instanceof QueuedMessage m)) {
            return false;
        }
        changing();
        int b = QueuedMessage.bandOf(m.orderKey);
        if (!bands[b].remove(m)) {
            return false;
        }
        removed(b);
        return true;
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof QueuedMessage m && bands[QueuedMessage.bandOf(m.orderKey)].contains(m);
    }

    /** The first message in delivery order, or null if none is available. */
    QueuedMessage first() {
        return held == 0 ? null : bands[Integer.numberOfTrailingZeros(held)].first();
    }

    /** Takes the first message in delivery order out; null if none is available. */
    QueuedMessage pollFirst() {
        if (held == 0) {
            return null;
        }
        changing();
        int b = Integer.numberOfTrailingZeros(held);
        QueuedMessage m = bands[b].pollFirst();
        removed(b);
        return m;
    }

    /**
     * When the oldest available message arrived, or {@link Long#MAX_VALUE} if none is: the oldest is the first of
     * one of the bands, so this looks at ten messages, not the queue.
     */
    long oldestArrival() {
        long oldest = Long.MAX_VALUE;
        for (int rest = held; rest != 0; rest &= rest - 1) {
            oldest = Math.min(oldest, bands[Integer.numberOfTrailingZeros(rest)].first().arrivedAt);
        }
        return oldest;
    }

    /**
     * Visits the messages in delivery order until the sweeper says {@link Sweep#STOP} or none is left, taking out
     * those it says {@link Sweep#TAKE} to. The sweeper must not change this set.
     *
     * @return how many were taken out
     */
    int sweep(Sweeper sweeper) {
        changing();
        sweeping = true;
        int[] taken = {0};
        try {
            for (int rest = held; rest != 0; rest &= rest - 1) {
                int b = Integer.numberOfTrailingZeros(rest);
                int before = taken[0];
                boolean stopped;
                try {
                    stopped = bands[b].sweep(sweeper, taken);
                } finally {
                    size -= taken[0] - before;
                    markEmpty(b);
                }
                if (stopped) {
                    break;
                }
            }
        } finally {
            sweeping = false;
        }
        return taken[0];
    }

    @Override
    public boolean removeIf(Predicate<? super QueuedMessage> filter) {
        return sweep(m -> filter.test(m) ? Sweep.TAKE : Sweep.KEEP) > 0;
    }

    @Override
    public void clear() {
        changing();
        for (MessageBand band : bands) {
            band.clear();
        }
        held = 0;
        size = 0;
    }

    /** In delivery order, read-only: {@link #sweep} takes out while it walks. */
    @Override
    public Iterator<QueuedMessage> iterator() {
        return new Walk(held == 0 ? BANDS : Integer.numberOfTrailingZeros(held), -1);
    }

    /** The messages after {@code orderKey} in delivery order, read-only. */
    Iterator<QueuedMessage> after(long orderKey) {
        if (orderKey < 0) {
            return iterator();
        }
        int b = QueuedMessage.bandOf(orderKey);
        return b >= BANDS ? new Walk(BANDS, -1) : new Walk(b, bands[b].positionAfter(orderKey));
    }

    private void changing() {
        if (sweeping) {
            throw new ConcurrentModificationException("available messages changed during a sweep");
        }
        changes++;
    }

    private void removed(int b) {
        size--;
        markEmpty(b);
    }

    private void markEmpty(int b) {
        if (bands[b].isEmpty()) {
            held &= ~(1 << b);
        }
    }

    /** Band by band, position by position; a band's positions are its array's indexes. */
    private final class Walk implements Iterator<QueuedMessage> {
        private final int expected = changes;
        private int band;
        private int position;

        /** @param position where to start in {@code band}; -1 for its first message */
        Walk(int band, int position) {
            this.band = band;
            this.position = band < BANDS && position < 0 ? bands[band].start() : position;
        }

        @Override
        public boolean hasNext() {
            checkUnchanged();
            while (band < BANDS && position >= bands[band].end()) {
                band++;
                if (band < BANDS) {
                    position = bands[band].start();
                }
            }
            return band < BANDS;
        }

        @Override
        public QueuedMessage next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return bands[band].at(position++);
        }

        private void checkUnchanged() {
            if (expected != changes) {
                throw new ConcurrentModificationException("available messages changed while walked");
            }
        }
    }
}
