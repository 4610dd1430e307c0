package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
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
    /** The page file refused a write: said once, at ERROR, until a write succeeds again. */
    private volatile boolean pageWriteFailed;

    Arrivals(QueueContents q, QueueLock lock, ExpirySweep expiry, Settlement settlement, Dispatcher dispatcher) {
        this.q = q;
        this.lock = lock;
        this.expiry = expiry;
        this.settlement = settlement;
        this.dispatcher = dispatcher;
    }

    /**
     * Adds a message (stored under {@code storeId}, 0 if not) whose next delivery carries {@code deliveryCount}. Past
     * the queue's memory it is paged out ({@link QueueContents#shouldPage}): a stored one keeps only its entry, any
     * other one is first written to the page file, here, outside the lock.
     *
     * @param waitingSince when it began to wait for this queue ({@link QueuedMessage#waitingAgainSince}); 0: as it
     *                     arrives
     */
    void enqueue(WireMessage message, long storeId, int deliveryCount, long waitingSince) {
        Objects.requireNonNull(message, "message");
        long footprint = MessageFootprint.of(message);
        boolean pageOut = q.shouldPage(footprint);
        long pageRef = 0;
        if (pageOut && storeId == 0) {
            pageRef = writePage(message);
            pageOut = pageRef != 0;
        }
        lock.lock();
        try {
            if (q.retired) {
                log.debug("queue {} is retired; dropped {}", q.shownName, message);
                q.storeDropped(storeId);
                if (pageRef != 0) {
                    long freed = pageRef;
                    q.outbox.add(() -> q.services.pages().free(freed));
                }
                return;
            }
            long now = q.now();
            QueuedMessage m = new QueuedMessage(q.nextSequence++, message, storeId, footprint);
            if (pageOut) {
                QueueContents.pageOut(m, pageRef);
            }
            m.deliveryCount = deliveryCount;
            m.storedCount = deliveryCount;
            m.lastDeliverySeen = deliveryCount > 1;
            m.arrivedAt = now;
            m.waitingAgainSince = waitingSince;
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

    /** @return the message's page reference, or 0 if the page file could not take it (it stays in memory) */
    private long writePage(WireMessage message) {
        try {
            long pageRef = q.services.pages().write(message);
            if (pageWriteFailed) {
                pageWriteFailed = false;
                log.info("queue {}: the page file takes messages again", q.shownName);
            }
            return pageRef;
        } catch (IOException e) {
            if (!pageWriteFailed) {
                pageWriteFailed = true;
                log.error("queue {}: the page file refused a message, so it is kept in memory (and producers are"
                        + " held back by the memory limit) until the page file takes messages again: {}", q.shownName,
                        e.getMessage());
            }
            return 0;
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
