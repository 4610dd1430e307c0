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

import java.util.concurrent.CompletableFuture;
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
     * Sends a message, any thread.
     *
     * @param answered false: the broker need not answer (the engine still answers it when the broker or the
     *                 session cannot do without: an older broker, a transacted session, a stamped send)
     */
    SendTicket send(WireMessage message, ProducerStamp stamp, boolean answered) {
        boolean answer = answered || stamp != null || session.isTransacted() || !connection.unansweredSends();
        SendTicket ticket = answer ? new SendTicket(new CompletableFuture<>(), new CompletableFuture<>())
                : SendTicket.once(new CompletableFuture<>());
        session.execute(() -> {
            EngineException refused = session.refusal();
            if (refused != null) {
                ticket.written().completeExceptionally(refused);
                ticket.confirmed().completeExceptionally(refused);
                return;
            }
            int size = message.sizeEstimate();
            SendScheduler sends = connection.sends();
            if (held.isEmpty() && sends.mayWriteNow(size)) {
                write(message, stamp, size, answer, ticket);
            } else {
                held.hold(sends.enqueue(session, message, stamp, size, answer, ticket));
            }
        });
        return ticket;
    }

    /** Writes a send the window has room for (at once, or when it reaches the head of the window's line). */
    void write(WireMessage message, ProducerStamp stamp, int size, boolean answered, SendTicket ticket) {
        SendScheduler sends = connection.sends();
        long end = sends.sent(size, answered);
        if (!answered) {
            // its ticket is done once written (written and confirmed are one future)
            connection.writeOneWay(new Send(channel, Protocol.NO_REPLY, message, stamp), ticket.written(),
                    () -> sends.unsent(size, false));
            return;
        }
        connection.request(channel, "Send to " + message.destination() + " on session " + channel,
                id -> new Send(channel, id, message, stamp), new Reply() {
                    private boolean written;

                    @Override
                    public void written() {
                        written = true;
                        ticket.written().complete(null);
                    }

                    @Override
                    public void ok(Ok ok) {
                        ticket.written().complete(null);
                        ticket.confirmed().complete(null);
                        sends.answered(end, ok.freeBytes());
                    }

                    @Override
                    public void failed(EngineException cause) {
                        ticket.written().completeExceptionally(cause);
                        ticket.confirmed().completeExceptionally(cause);
                        if (!written) {
                            sends.unsent(size, true);
                        } else if (cause.code() == ErrorCode.TIMEOUT || connection.refusal() != null) {
                            sends.unanswered(); // the broker may not have read it yet
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
