package io.tunnelmq.jms.client;

import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.jms.engine.DeliveryListener;
import io.tunnelmq.jms.engine.EngineConsumer;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.LockOutcome;
import io.tunnelmq.jms.engine.Released;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the engine feeds a {@link JmsMessageConsumer}'s buffer — deliveries, revocations, a stop, a lost connection, the
 * end — on the engine thread, never blocking and never running application code; and what the consumer asks of the
 * engine while its buffer runs dry: one message at a time with prefetch 0, and the WAITING hint after it gave messages
 * back unseen.
 */
final class ConsumerFeed implements DeliveryListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerFeed.class);

    private final JmsMessageConsumer consumer;
    private final JmsSession session;
    private final ConsumerSpec spec;
    private final ConsumerBuffer buffer;
    private final AtomicBoolean pullOutstanding = new AtomicBoolean();
    /**
     * The consumer may have given messages back unseen (revocation, lost lock) since it last told the engine the
     * application waits: only then is {@link EngineConsumer#waiting()} worth a hop to the event loop.
     */
    private final AtomicBoolean maybeDeclined = new AtomicBoolean();
    private volatile EngineException endedByBroker;

    ConsumerFeed(JmsMessageConsumer consumer, JmsSession session, ConsumerSpec spec, ConsumerBuffer buffer) {
        this.consumer = consumer;
        this.session = session;
        this.spec = spec;
        this.buffer = buffer;
    }

    @Override
    public void onDelivery(Delivery delivery) {
        boolean added = buffer.add(delivery);
        if (spec.prefetch() == 0) {
            // cleared only once the message is in the buffer: a receive that found the buffer empty in between would
            // pull a second message, which this consumer would then hold from its competitors; and a receive that
            // looked while the pull still seemed on its way is woken to look again
            pullOutstanding.set(false);
            buffer.wakeUp();
        }
        if (!added) {
            // the application closed us while it was on its way: give it back untouched
            session.engine().settle(LockOutcome.RELEASE, new long[] {delivery.lockToken()}, null, false);
            return;
        }
        consumer.nudgeListener();
    }

    @Override
    public Released onRevoke(long[] lockTokens) {
        Released released = buffer.revoke(lockTokens);
        // any revocation may leave the consumer declined on the broker (what it names may have left the buffer
        // already, by recover, rollback or a lost lock): a receiver blocked on an empty buffer, or an idle
        // listener, must say WAITING again, so wake them
        maybeDeclined.set(true);
        buffer.wakeUp();
        consumer.nudgeListener();
        return released;
    }

    @Override
    public Released onStop() {
        pullOutstanding.set(false); // the stop cancels the credit of a pull on its way
        return buffer.drain();
    }

    /**
     * The connection was lost and reconnects: the buffered messages' locks are gone, so they are dropped
     * without a settlement (the broker gives them to a consumer again, this one included once restored). The
     * consumer stays open; a receive keeps waiting, a listener gets nothing until deliveries resume here.
     */
    @Override
    public void onInterrupted() {
        pullOutstanding.set(false); // a pull on its way was lost with the connection
        maybeDeclined.set(false); // the broker forgot this consumer's state too
        Released dropped = buffer.drain();
        if (dropped.lockTokens().length > 0) {
            LOG.debug("session {}: connection lost, dropped {} buffered messages of the consumer on {}",
                    session.logId(), dropped.lockTokens().length, spec.destination());
        }
    }

    @Override
    public void onClosed(EngineException cause) {
        endedByBroker = cause;
        LOG.debug("session {}: consumer on {} ended by the broker: {}", session.logId(), spec.destination(),
                cause.getMessage());
        buffer.close();
    }

    /** The connection failed for good: the consumer ends, unless the broker ended it first. */
    void connectionFailed(EngineException cause) {
        if (endedByBroker == null) {
            endedByBroker = cause;
        }
        buffer.close();
    }

    /** Why the consumer ended without the application closing it, or null. */
    EngineException endedByBroker() {
        return endedByBroker;
    }

    /**
     * The application is about to wait on an empty buffer (a receive, or a listener with nothing to do), delivery
     * started: ask for a message (prefetch 0), and tell the broker once if the consumer gave messages back unseen.
     */
    void waitingOnEmptyBuffer() {
        pullIfNeeded();
        EngineConsumer e = consumer.engine();
        if (e != null && maybeDeclined.getAndSet(false)) {
            e.waiting();
        }
    }

    /**
     * With prefetch 0 the broker sends nothing unasked: ask for one message unless one is asked or held, or the
     * connection is stopped (a stopped consumer's credit is 0, so the engine would drop the pull).
     */
    void pullIfNeeded() {
        if (spec.prefetch() == 0 && !consumer.isClosed() && session.connection().isStarted() && buffer.isEmpty()
                && pullOutstanding.compareAndSet(false, true)) {
            consumer.engine().pull();
        }
    }

    /** No pull on its way survives: the connection started (after a stop) or was restored. */
    void pullLost() {
        pullOutstanding.set(false);
    }

    /** A buffered message's lock was lost: the broker released it unseen and holds this consumer back until it waits. */
    void declined() {
        consumer.engine().declined();
        maybeDeclined.set(true); // after: a wait that sees the hint reaches the engine after declined()
    }
}
