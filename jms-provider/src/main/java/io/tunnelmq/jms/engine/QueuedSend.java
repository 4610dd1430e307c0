package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;

/**
 * A send waiting for room in the send window. It sits in the connection's FIFO of waiting sends and, as
 * the head of its session's held operations, keeps that session's later operations behind it.
 */
final class QueuedSend implements SessionOp {
    private final ClientSession session;
    private final WireMessage message;
    private final ProducerStamp stamp;
    private final int size;
    private final boolean answered;
    private final SendListener listener;
    private final long deadlineNanos;

    QueuedSend(ClientSession session, WireMessage message, ProducerStamp stamp, int size, boolean answered,
               SendListener listener, long deadlineNanos) {
        this.session = session;
        this.message = message;
        this.stamp = stamp;
        this.size = size;
        this.answered = answered;
        this.listener = listener;
        this.deadlineNanos = deadlineNanos;
    }

    ClientSession session() {
        return session;
    }

    int size() {
        return size;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    @Override
    public void write() {
        session.sends().write(message, stamp, size, answered, listener);
    }

    @Override
    public void fail(EngineException cause) {
        listener.onFailed(cause);
    }
}
