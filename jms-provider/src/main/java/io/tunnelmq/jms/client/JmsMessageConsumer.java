package io.tunnelmq.jms.client;

import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.jms.engine.DeliveryListener;
import io.tunnelmq.jms.engine.EngineConsumer;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.LockOutcome;
import io.tunnelmq.jms.engine.Released;
import io.tunnelmq.jms.message.JmsMessage;
import io.tunnelmq.jms.message.WireMessages;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageListener;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A message consumer. The engine feeds its {@link ConsumerBuffer}; {@code receive} takes from it on the
 * application's thread, a MessageListener is called on the session's callback thread. Every message taken
 * is reported to the engine ({@code taken}), which gives the broker credit for more.
 */
final class JmsMessageConsumer implements QueueReceiver, TopicSubscriber {
    private static final Logger LOG = LoggerFactory.getLogger(JmsMessageConsumer.class);

    private final JmsSession session;
    private final Destination destination;
    private final ConsumerSpec spec;
    private final ConsumerBuffer buffer = new ConsumerBuffer();
    private final AtomicBoolean pullOutstanding = new AtomicBoolean();
    /**
     * The consumer may have given messages back unseen (revocation, lost lock) since it last told the engine the
     * application waits: only then is {@link EngineConsumer#waiting()} worth a hop to the event loop.
     */
    private final AtomicBoolean maybeDeclined = new AtomicBoolean();
    private volatile EngineConsumer engine;
    private volatile MessageListener listener;
    private volatile boolean closed;
    private volatile EngineException endedByBroker;

    JmsMessageConsumer(JmsSession session, Destination destination, ConsumerSpec spec) {
        this.session = session;
        this.destination = destination;
        this.spec = spec;
    }

    /**
     * Opens the consumer on the broker; deliveries may arrive before this returns. The consumer of a connection
     * that is not started gets no messages until it starts ({@link #wakeUp}): a prefetch filled there would be
     * locked away from the competing consumers that could use it.
     */
    void open() throws JMSException {
        boolean held = !session.connection().isStarted();
        engine = Await.result(session.engine().createConsumer(spec, new Deliveries(), held),
                session.connection().requestWaitMillis(),
                "creating a consumer on " + spec.destination() + " (session " + session.logId() + ")");
    }

    /** Called on the engine thread: never blocks, never runs application code. */
    private final class Deliveries implements DeliveryListener {
        @Override
        public void onDelivery(Delivery delivery) {
            pullOutstanding.set(false);
            if (!buffer.add(delivery)) {
                // the application closed us while it was on its way: give it back untouched
                session.engine().settle(LockOutcome.RELEASE, new long[] {delivery.lockToken()}, null, false);
                return;
            }
            if (listener != null) {
                session.dispatcher().scheduleDelivery();
            }
        }

        @Override
        public Released onRevoke(long[] lockTokens) {
            Released released = buffer.revoke(lockTokens);
            // any revocation may leave the consumer declined on the broker (what it names may have left the buffer
            // already, by recover, rollback or a lost lock): a receiver blocked on an empty buffer, or an idle
            // listener, must say WAITING again, so wake them
            maybeDeclined.set(true);
            buffer.wakeUp();
            if (listener != null) {
                session.dispatcher().scheduleDelivery();
            }
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
    }

    // ---- receive ----

    @Override
    public Message receive() throws JMSException {
        return receive(0);
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        JmsMessage m = receiveUnsettled(timeout == 0 ? 0 : Math.max(timeout, 1));
        if (m != null) {
            received(m);
        }
        return m;
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        JmsMessage m = receiveUnsettled(-1);
        if (m != null) {
            received(m);
        }
        return m;
    }

    /**
     * Takes the next message for the application without applying AUTO/DUPS_OK acknowledgement yet.
     *
     * @param timeout 0 waits without limit, negative does not wait
     */
    JmsMessage receiveUnsettled(long timeout) throws JMSException {
        Taken taken = take(timeout);
        return taken == null ? null : taken.message();
    }

    /**
     * JMSConsumer.receiveBody: the next message's body as {@code type}, or null on timeout or for a message without
     * a body. A plain Message or StreamMessage, or a body of another type, fails with MessageFormatException; then
     * AUTO and DUPS_OK behave as if the call had not happened (the message is handed out again first, not as a
     * redelivery) while the other modes count the message as delivered.
     *
     * @param timeout 0 waits without limit, negative does not wait
     */
    <T> T receiveBody(Class<T> type, long timeout) throws JMSException {
        Taken taken = take(timeout);
        if (taken == null) {
            return null;
        }
        JmsMessage m = taken.message();
        T body;
        try {
            body = receivableBody(m, type);
        } catch (MessageFormatException e) {
            if (session.acks().retakesRefusedMessages()) {
                session.acks().undelivered(m);
                putBack(taken.delivery());
            } else {
                consumed(m, false);
            }
            throw e;
        }
        received(m);
        return body;
    }

    /** The body receiveBody returns: JMSConsumer's Javadoc admits text, bytes, map and object messages only. */
    private static <T> T receivableBody(JmsMessage m, Class<T> type) throws JMSException {
        if (!(m instanceof TextMessage || m instanceof BytesMessage || m instanceof MapMessage
                || m instanceof ObjectMessage)) {
            throw new MessageFormatException("receiveBody cannot return the body of a "
                    + (m instanceof StreamMessage ? "StreamMessage" : "plain Message")
                    + ": only text, bytes, map and object messages have a body it can return; use receive()");
        }
        return m.getBody(type);
    }

    private void putBack(Delivery d) {
        if (!buffer.putBack(d)) {
            settleQuietly(LockOutcome.RELEASE, d.lockToken(), null);
        } else if (listener != null) {
            session.dispatcher().scheduleDelivery();
        }
    }

    /** A message taken for the application, and the delivery it came from. */
    private record Taken(Delivery delivery, JmsMessage message) {
    }

    private Taken take(long timeout) throws JMSException {
        checkOpen();
        session.checkSynchronousReceiveAllowed();
        long deadline = timeout > 0 ? System.currentTimeMillis() + timeout : 0;
        while (true) {
            pullIfNeeded();
            long left = timeout > 0 ? deadline - System.currentTimeMillis() : timeout;
            if (timeout > 0 && left <= 0) {
                return null;
            }
            ConsumerBuffer.Entry entry;
            try {
                entry = buffer.take(left, this::mayHandOut, this::waitingOnEmptyBuffer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw JmsExceptions.link(new JMSException("receive on " + spec.destination() + " was interrupted"), e);
            }
            if (entry == null) {
                EngineException ended = endedByBroker;
                if (ended != null && !closed) {
                    throw JmsExceptions.toJms(ended, "the consumer on " + spec.destination() + " was closed by"
                            + " the broker or the connection failed");
                }
                return null;
            }
            JmsMessage m = prepare(entry);
            if (m != null) {
                return new Taken(entry.delivery(), m);
            }
        }
    }

    /** Delivery is started and the broker is not quiet (see {@link JmsConnection#handOutsAllowed()}). */
    private boolean mayHandOut() {
        return session.connection().isStarted() && session.connection().handOutsAllowed();
    }

    /** A receive returns the message to the application: tells the broker, then applies AUTO/DUPS_OK. */
    private void received(JmsMessage m) {
        session.acks().handedOut(m, true);
        consumed(m, false);
    }

    /** Applies AUTO/DUPS_OK acknowledgement to a message the application got. */
    void consumed(JmsMessage m, boolean failed) {
        session.acks().consumed(m, failed);
        if (buffer.isEmpty()) {
            session.acks().flushDupsOk();
        }
    }

    /**
     * The application is about to wait on an empty buffer (a receive, or a listener with nothing to do), delivery
     * started: ask for a message (prefetch 0), and tell the broker once if the consumer gave messages back unseen.
     */
    void waitingOnEmptyBuffer() {
        pullIfNeeded();
        EngineConsumer e = engine;
        if (e != null && maybeDeclined.getAndSet(false)) {
            e.waiting();
        }
    }

    /**
     * With prefetch 0 the broker sends nothing unasked: ask for one message unless one is asked or held, or the
     * connection is stopped (a stopped consumer's credit is 0, so the engine would drop the pull).
     */
    private void pullIfNeeded() {
        if (spec.prefetch() == 0 && !closed && session.connection().isStarted() && buffer.isEmpty()
                && pullOutstanding.compareAndSet(false, true)) {
            engine.pull();
        }
    }

    /**
     * Turns a buffered delivery into the application's message and records it as delivered; returns null
     * (after settling it) for a message that expired or whose body cannot be decoded.
     */
    private JmsMessage prepare(ConsumerBuffer.Entry entry) {
        Delivery d = entry.delivery();
        if (spec.prefetch() > 0 && !entry.returned()) {
            engine.taken(1, d.message().sizeEstimate()); // with prefetch 0 credit comes only from pull()
        }
        if (lockLost(d)) {
            // the broker unlocked it (expired, or not renewed): it may already be someone else's, so never hand it out
            LOG.debug("session {}: skipping buffered message {} on {}: its lock {} was lost", session.logId(),
                    d.message().messageId(), spec.destination(), d.lockToken());
            engine.declined(); // the broker released it unseen and holds this consumer back until it waits
            maybeDeclined.set(true); // after: a wait that sees the hint reaches the engine after declined()
            return null;
        }
        JmsMessage m;
        try {
            m = WireMessages.fromDelivery(d, session.acks(), session.serializablePackages());
        } catch (JMSException e) {
            LOG.warn("session {}: message {} on {} cannot be decoded and goes to the dead-letter queue: {}",
                    session.logId(), d.message().messageId(), spec.destination(), e.getMessage());
            settleQuietly(LockOutcome.DEAD_LETTER, d.lockToken(), "the client cannot decode the body: "
                    + e.getMessage());
            return null;
        }
        long expiration = d.message().expiration();
        if (expiration != 0 && expiration <= System.currentTimeMillis()) {
            // an expired message is not given to the application; completing it lets the broker discard it
            LOG.debug("session {}: message {} expired before delivery and is discarded", session.logId(),
                    d.message().messageId());
            settleQuietly(LockOutcome.COMPLETE, d.lockToken(), null);
            return null;
        }
        session.acks().delivered(m);
        return m;
    }

    /** The engine no longer knows the lock, or its expiry has passed. */
    private boolean lockLost(Delivery d) {
        long lockedUntil = session.engine().lockedUntil(d.lockToken());
        return lockedUntil == 0 || lockedUntil <= System.currentTimeMillis();
    }

    private void settleQuietly(LockOutcome outcome, long token, String reason) {
        session.engine().settle(outcome, new long[] {token}, reason, false).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("session {}: {} of lock {} failed: {}", session.logId(), outcome, token, e.getMessage());
            }
        });
    }

    // ---- listener ----

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return listener;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        this.listener = listener;
        if (listener != null) {
            pullIfNeeded();
            session.dispatcher().scheduleDelivery();
        }
    }

    boolean hasListener() {
        return listener != null && !closed;
    }

    boolean readyForListener() {
        return listener != null && !closed && !buffer.isEmpty();
    }

    /** Delivers one buffered message to the listener. On the session's callback thread. */
    void dispatchOne() {
        MessageListener l = listener;
        if (l == null || closed) {
            return;
        }
        ConsumerBuffer.Entry entry = buffer.poll();
        JmsMessage m = entry == null ? null : prepare(entry);
        if (m != null) {
            session.acks().handedOut(m, false);
            boolean failed = false;
            try {
                l.onMessage(m);
            } catch (RuntimeException e) {
                failed = true;
                LOG.warn("session {}: MessageListener on {} threw for message {}; the message will be redelivered"
                        + " if the session acknowledges automatically", session.logId(), spec.destination(),
                        m.getJMSMessageID(), e);
            }
            consumed(m, failed);
        }
        if (listener != null) {
            pullIfNeeded();
        }
    }

    // ---- buffer management for the session ----

    /** Empties the buffer (recover, rollback) and returns the lock tokens and their size in all. */
    Released drainBuffer() {
        return buffer.drain();
    }

    /** Released messages left the buffer: let the engine grant the broker their credit (messages, bytes) again. */
    void creditBack(int count, long bytes) {
        if (count > 0 && !closed && spec.prefetch() > 0) {
            engine.taken(count, bytes);
        }
    }

    /**
     * The connection stops (after listeners and receives in progress returned): the broker stops delivering and
     * the buffered messages go back unseen. Completes once the broker has them.
     */
    CompletableFuture<Void> stopDelivery() {
        EngineConsumer e = engine;
        return e == null || closed ? CompletableFuture.completedFuture(null) : e.stopDelivery();
    }

    /** The connection started: receivers look again, a listener in pull mode asks for its first message. */
    void wakeUp() {
        EngineConsumer e = engine;
        if (e != null) {
            e.startDelivery();
        }
        // no pull survives a stop (its credit was set to 0) or reaches a consumer that was never started
        pullOutstanding.set(false);
        buffer.wakeUp();
        if (listener != null) {
            pullIfNeeded();
        }
    }

    /**
     * The connection is restored (the failover layer re-created this consumer): receivers waiting on the empty buffer
     * look again, and ask the broker for a message (prefetch 0) in place of a pull lost with the old connection.
     */
    void connectionRestored() {
        pullOutstanding.set(false);
        buffer.wakeUp();
        if (listener != null) {
            pullIfNeeded();
        }
    }

    /** The broker is heard again after a quiet spell: receivers waiting on a full buffer look again. */
    void handOutsResumed() {
        buffer.wakeUp();
    }

    void connectionFailed(EngineException cause) {
        if (endedByBroker == null) {
            endedByBroker = cause;
        }
        buffer.close();
    }

    // ---- close ----

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        Await.result(closeAsync(), session.connection().requestWaitMillis(),
                "closing the consumer on " + spec.destination());
        session.consumerClosed(this);
    }

    /**
     * Stops delivery at once (a blocked receive returns null), waits for the listener if it is running on
     * another thread, then releases the buffered messages and closes the consumer on the broker.
     */
    CompletableFuture<Void> closeAsync() {
        synchronized (buffer) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
        }
        buffer.close();
        session.dispatcher().awaitIdle(this);
        session.acks().flushDupsOk();
        if (engine == null) {
            return CompletableFuture.completedFuture(null);
        }
        return engine.close(buffer.drain().lockTokens());
    }

    boolean isClosed() {
        return closed;
    }

    ConsumerSpec spec() {
        return spec;
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw JmsExceptions.illegalState("the consumer on " + spec.destination() + " is closed");
        }
        session.checkOpen("using a consumer");
    }

    // ---- accessors ----

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return spec.selector();
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return destination instanceof Queue q ? q : null;
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        return destination instanceof Topic t ? t : null;
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        checkOpen();
        return spec.noLocal();
    }

    @Override
    public String toString() {
        return "JmsMessageConsumer[" + spec.destination() + ", session " + session.logId() + "]";
    }
}
