package io.tunnelmq.server.session;

import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.destination.BrokerException;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.PeekLockQueue;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Takes one connection's {@link Send} frames: counts each against the connection's {@link ReceiveWindow}, checks its
 * size and the user's right to send there, hands it to its session, and answers it. An answered send gets an
 * {@link Ok} whose free figure counts from the end of that send; an unanswered one ({@link Protocol#NO_REPLY}) gets
 * nothing when taken, and the window reports it later. A refusal is the connection's to answer ({@code ErrorFrame},
 * or {@code SendFailed} for an unanswered send). Confined to the connection's event loop.
 */
final class SendIntake {
    private final ReceiveWindow window;
    private final MessageSizeLimit sizeLimit;
    private final DestinationAccess access;
    private final DestinationRegistry destinations;
    private final FrameSink sink;

    SendIntake(ReceiveWindow window, MessageSizeLimit sizeLimit, DestinationAccess access,
               DestinationRegistry destinations, FrameSink sink) {
        this.window = window;
        this.sizeLimit = sizeLimit;
        this.access = access;
        this.destinations = destinations;
        this.sink = sink;
    }

    /**
     * Takes a send into its session ({@code session}: null when its channel has none, and the send is refused).
     *
     * @param answering makes the session's answer callback from what success sends (the connection's refusals and
     *                  its closing are handled there)
     * @throws BrokerException when refused at once
     */
    void take(ServerSession session, Send send, Function<Runnable, Consumer<BrokerException>> answering) {
        long mark = window.admit(send.message().sizeEstimate());
        if (send.requestId() == Protocol.NO_REPLY) {
            try {
                check(session, send);
                session.send(send.message(), send.stamp(), answering.apply(() -> { }));
            } finally {
                // refused or not, it is reported with the others: the client counts every send it wrote, and a
                // window spent on refused sends would otherwise never be reported again
                window.afterUnansweredSend(queueMemory(send));
            }
            return;
        }
        check(session, send);
        session.send(send.message(), send.stamp(), answering.apply(() ->
                // direct, not behind deliveries: a send's answer has no ordering duty towards them
                // a full queue closes the window: its producer is held until the queue drains
                sink.send(new Ok(send.channel(), send.requestId(), window.reportAfterSend(mark, queueMemory(send))))));
    }

    private void check(ServerSession session, Send send) {
        if (session == null) {
            throw ClientConnection.noSession(send.channel());
        }
        sizeLimit.check(send.message());
        access.require(Permission.SEND, send.message().destination());
    }

    /** The memory of the queue a send went to, or null for a topic. */
    private MemoryTracker queueMemory(Send send) {
        WireDestination d = send.message().destination();
        return d.kind().isQueue() ? destinations.findQueue(d.name()).map(PeekLockQueue::memory).orElse(null) : null;
    }
}
