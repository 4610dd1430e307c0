package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * How messages come onto a queue: at the end of the available ones in delivery order, or scheduled until their
 * delivery time (then made available by the timer, {@link #becomeDue}). Takes the queue's lock; hands deliveries on
 * through the {@link Dispatcher}.
 */
final class Arrivals {
    private static final Logger log = LoggerFactory.getLogger(PeekLockQueue.class);

    private final QueueContents q;
    private final QueueLock lock;
    private final ExpirySweep expiry;
    private final Settlement settlement;
    private final Dispatcher dispatcher;

    Arrivals(QueueContents q, QueueLock lock, ExpirySweep expiry, Settlement settlement, Dispatcher dispatcher) {
        this.q = q;
        this.lock = lock;
        this.expiry = expiry;
        this.settlement = settlement;
        this.dispatcher = dispatcher;
    }

    /** Adds a message (stored under {@code storeId}, 0 if not) whose next delivery carries {@code deliveryCount}. */
    void enqueue(WireMessage message, long storeId, int deliveryCount) {
        Objects.requireNonNull(message, "message");
        lock.lock();
        try {
            if (q.retired) {
                log.debug("queue {} is retired; dropped {}", q.name, message);
                q.storeDropped(storeId);
                return;
            }
            long now = q.now();
            QueuedMessage m = new QueuedMessage(q.nextSequence++, message, storeId);
            m.deliveryCount = deliveryCount;
            m.storedCount = deliveryCount;
            m.lastDeliverySeen = deliveryCount > 1;
            m.arrivedAt = now;
            q.hold(m);
            q.tally.enqueued++;
            expiry.arrived(m, now);
            long delay = message.deliveryTime() - now;
            if (message.deliveryTime() != 0 && delay > 0) {
                settlement.delay(m, delay);
            } else {
                q.available.add(m);
                dispatcher.dispatchArrival(m);
            }
        } finally {
            lock.unlockAndDrain();
        }
    }

    /** The timer: a scheduled message's delivery time came. */
    void becomeDue(QueuedMessage m) {
        lock.lock();
        try {
            if (q.scheduled.remove(m)) {
                q.available.add(m);
                dispatcher.dispatch();
            }
        } finally {
            lock.unlockAndDrain();
        }
    }
}
