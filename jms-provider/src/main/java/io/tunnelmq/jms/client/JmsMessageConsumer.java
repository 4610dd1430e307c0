package io.tunnelmq.jms.client;

import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.jms.engine.EngineConsumer;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.Released;
import io.tunnelmq.jms.message.ExceptionLinks;
import io.tunnelmq.jms.message.JmsMessage;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A message consumer. The engine feeds its {@link ConsumerBuffer}; {@code receive} takes from it on the
 * application's thread, a MessageListener is called on the session's callback thread. Every message taken
 * is reported to the engine ({@code taken}), which gives the broker credit for more. What the engine feeds the
 * buffer is in {@link ConsumerFeed}, the checks between buffer and application in {@link ConsumerHandOut}.
 */
final class JmsMessageConsumer implements QueueReceiver, TopicSubscriber {
    private static final Logger LOG = LoggerFactory.getLogger(JmsMessageConsumer.class);

    private final JmsSession session;
    private final Destination destination;
    private final ConsumerSpec spec;
    private final ConsumerBuffer buffer = new ConsumerBuffer();
    private final ConsumerFeed feed;
    private final ConsumerHandOut handOut;
    private volatile EngineConsumer engine;
    private volatile MessageListener listener;
    private volatile boolean closed;

    JmsMessageConsumer(JmsSession session, Destination destination, ConsumerSpec spec) {
        this.session = session;
        this.destination = destination;
        this.spec = spec;
        this.feed = new ConsumerFeed(this, session, spec, buffer);
        this.handOut = new ConsumerHandOut(this, session, spec, buffer, feed);
    }

    /**
     * Opens the consumer on the broker; deliveries may arrive before this returns. The consumer of a connection
     * that is not started gets no messages until it starts ({@link #wakeUp}): a prefetch filled there would be
     * locked away from the competing consumers that could use it.
     */
    void open() throws JMSException {
        boolean held = !session.connection().isStarted();
        engine = Await.result(session.engine().createConsumer(spec, feed, held),
                session.connection().requestWaitMillis(),
                "creating a consumer on " + spec.destination() + " (session " + session.logId() + ")");
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
            body = ConsumerHandOut.receivableBody(m, type);
        } catch (MessageFormatException e) {
            if (session.acks().retakesRefusedMessages()) {
                session.acks().undelivered(m);
                handOut.putBack(taken.delivery());
            } else {
                consumed(m, false);
            }
            throw e;
        }
        received(m);
        return body;
    }

    /** A message taken for the application, and the delivery it came from. */
    private record Taken(Delivery delivery, JmsMessage message) {
    }

    private Taken take(long timeout) throws JMSException {
        checkOpen();
        session.checkSynchronousReceiveAllowed();
        // nanoTime, rounded up: a receive(400) must not come back after 399.6 ms (or early when the wall clock jumps)
        long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : 0;
        while (true) {
            feed.pullIfNeeded();
            long left = timeout > 0 ? Math.max(0, deadline - System.nanoTime() + 999_999) / 1_000_000 : timeout;
            if (timeout > 0 && left <= 0) {
                return null;
            }
            ConsumerBuffer.Entry entry;
            try {
                entry = buffer.take(left, this::mayHandOut, feed::waitingOnEmptyBuffer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ExceptionLinks.link(new JMSException("receive on " + spec.destination() + " was interrupted"), e);
            }
            if (entry == null) {
                EngineException ended = feed.endedByBroker();
                if (ended != null && !closed) {
                    throw JmsExceptions.toJms(ended, "the consumer on " + spec.destination() + " was closed by"
                            + " the broker or the connection failed");
                }
                return null;
            }
            JmsMessage m = handOut.prepare(entry);
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
        if (session.acks().batchesCompletions() && buffer.isEmpty()) {
            session.acks().flushDupsOk();
        }
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
        if (listener != null) {
            session.listenerGiven(); // before the listener is seen: a receive that sees it also looks for it
        }
        this.listener = listener;
        if (listener != null) {
            feed.pullIfNeeded();
            session.dispatcher().scheduleDelivery();
        }
    }

    /** Something for the listener arrived (or may have): the session's callback thread looks, if one is set. */
    void nudgeListener() {
        if (listener != null) {
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
        JmsMessage m = entry == null ? null : handOut.prepare(entry);
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
        pullForListener();
    }

    /** A listener with nothing to do is about to wait: see {@link ConsumerFeed#waitingOnEmptyBuffer()}. */
    void waitingOnEmptyBuffer() {
        feed.waitingOnEmptyBuffer();
    }

    /** A listener in pull mode (prefetch 0) asks for its next message. */
    private void pullForListener() {
        if (listener != null) {
            feed.pullIfNeeded();
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
        feed.pullLost();
        buffer.wakeUp();
        pullForListener();
    }

    /**
     * The connection is restored (the failover layer re-created this consumer): receivers waiting on the empty buffer
     * look again, and ask the broker for a message (prefetch 0) in place of a pull lost with the old connection.
     */
    void connectionRestored() {
        feed.pullLost();
        buffer.wakeUp();
        pullForListener();
    }

    /** The broker is heard again after a quiet spell: receivers waiting on a full buffer look again. */
    void handOutsResumed() {
        buffer.wakeUp();
    }

    void connectionFailed(EngineException cause) {
        feed.connectionFailed(cause);
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

    /** The engine's consumer; null until {@link #open()} returned. */
    EngineConsumer engine() {
        return engine;
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
