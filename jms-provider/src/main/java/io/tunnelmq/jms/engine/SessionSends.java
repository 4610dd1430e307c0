package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.SendFailed;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The sends of one session: each waits its turn in the connection's send window ({@link SendScheduler}) and behind
 * the session's earlier operations, then is written answered (the broker's {@code Ok} or error completes it) or
 * unanswered (non-persistent outside a transaction, to a broker that takes them: done once written; a refusal comes
 * later as {@link SendFailed} and is kept for the session's next send). Thread-safe entry, the rest on the loop.
 */
final class SessionSends {
    private static final Logger log = LoggerFactory.getLogger(SessionSends.class);
    private static final String LATER = "; later unanswered sends of the session failed too";

    private final ClientSession session;
    private final TunnelClientConnection connection;
    private final HeldOperations held;
    private final int channel;
    /** Refusals of unanswered sends not yet reported to the application, merged; null when none. */
    private final AtomicReference<EngineException> failed = new AtomicReference<>();

    SessionSends(ClientSession session, TunnelClientConnection connection, HeldOperations held, int channel) {
        this.session = session;
        this.connection = connection;
        this.held = held;
        this.channel = channel;
    }

    /**
     * Sends a message, any thread; the listener hears what becomes of it.
     *
     * @param answered false: the broker need not answer (the engine still answers it when the broker or the
     *                 session cannot do without: an older broker, a transacted session, a stamped send)
     */
    void send(WireMessage message, ProducerStamp stamp, boolean answered, SendListener listener) {
        boolean answer = answered || stamp != null || session.isTransacted() || !connection.unansweredSends();
        if (answer) {
            session.execute(() -> sendNow(message, stamp, true, listener));
        } else {
            session.handOver().send(message, listener);
        }
    }

    /** On the event loop: the unanswered sends the application's threads handed over in one batch, in order. */
    void takeHandedOver(HandOverBatch handed) {
        for (int i = 0; i < handed.sendCount(); i++) {
            sendNow(handed.message(i), null, false, handed.listener(i));
        }
    }

    /** On the event loop: writes the send, or makes it wait for window or behind the session's waiting send. */
    private void sendNow(WireMessage message, ProducerStamp stamp, boolean answered, SendListener listener) {
        EngineException refused = session.refusal();
        if (refused != null) {
            listener.onFailed(refused);
            return;
        }
        int size = message.sizeEstimate();
        SendScheduler sends = connection.sends();
        if (held.isEmpty() && sends.mayWriteNow(size)) {
            write(message, stamp, size, answered, listener);
        } else {
            held.hold(sends.enqueue(session, message, stamp, size, answered, listener));
        }
    }

    /** Writes a send the window has room for (at once, or when it reaches the head of the window's line). */
    void write(WireMessage message, ProducerStamp stamp, int size, boolean answered, SendListener listener) {
        SendScheduler sends = connection.sends();
        long end = sends.sent(size, answered);
        if (!answered) {
            // done once written: the broker answers only a refusal
            EngineException failed = connection.writeOneWay(new Send(channel, Protocol.NO_REPLY, message, stamp));
            if (failed == null) {
                listener.onWritten();
                listener.onConfirmed();
            } else {
                sends.unsent(size, false);
                listener.onFailed(failed);
            }
            return;
        }
        connection.request(channel, "Send to " + message.destination() + " on session " + channel,
                id -> new Send(channel, id, message, stamp), new Reply() {
                    private boolean written;

                    @Override
                    public void written() {
                        if (!written) {
                            written = true;
                            listener.onWritten();
                        }
                    }

                    @Override
                    public void ok(Ok ok) {
                        written(); // the answer may come before the write's own completion
                        listener.onConfirmed();
                        sends.answered(end, ok.freeBytes());
                    }

                    @Override
                    public void failed(EngineException cause) {
                        listener.onFailed(cause);
                        if (cause.code() == ErrorCode.TIMEOUT || connection.refusal() != null) {
                            // the broker may not have read it yet, and one still in the socket's way (not written
                            // when its answer was given up) reaches it later: its bytes stay counted
                            sends.unanswered();
                        } else if (!written) {
                            sends.unsent(size, true); // its write failed: it never left
                        } else {
                            sends.answered(end, -1); // its error: the broker read it, and says nothing of room
                        }
                    }
                });
    }

    /** The broker refused an unanswered send: kept for the session's next send, and logged now. */
    void failed(SendFailed refusal) {
        log.warn("[{}] session {}: non-persistent message {} was not sent: {} ({})", connection.logId(), channel,
                refusal.messageId(), refusal.message(), refusal.code());
        EngineException cause = new EngineException(refusal.code(), "an earlier non-persistent send of this session ("
                + (refusal.messageId() == null ? "a message without JMSMessageID" : refusal.messageId())
                + ") was refused: " + refusal.message());
        failed.accumulateAndGet(cause, (earlier, later) -> earlier == null ? later
                : earlier.getMessage().endsWith(LATER) ? earlier
                : new EngineException(earlier.code(), earlier.getMessage() + LATER));
    }

    /** {@link EngineSession#takeFailedSends}; any thread. */
    EngineException takeFailed() {
        // read before taking: every send asks, and an atomic write each time would cost more than the send's hand-off
        return failed.get() == null ? null : failed.getAndSet(null);
    }
}
