package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.CheckAccess;
import io.tunnelmq.protocol.frame.CreateTemporary;
import io.tunnelmq.protocol.frame.DeleteTemporary;
import io.tunnelmq.protocol.frame.Disconnect;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.message.WireDestination;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * The requests of a connection rather than of one of its sessions: opening a session on a new channel, and
 * creating and deleting temporary destinations, asking for a permission and the closing {@code Disconnect} on
 * channel 0. Any thread; the work runs on the event loop.
 */
final class ConnectionRequests {
    private final TunnelClientConnection connection;
    private final SessionTable sessions;

    ConnectionRequests(TunnelClientConnection connection, SessionTable sessions) {
        this.connection = connection;
        this.sessions = sessions;
    }

    CompletableFuture<EngineSession> openSession(boolean transacted, int ackMode) {
        CompletableFuture<EngineSession> future = new CompletableFuture<>();
        connection.execute(() -> {
            EngineException refused = connection.refusal();
            if (refused != null) {
                future.completeExceptionally(refused);
                return;
            }
            int ch = sessions.allocate();
            ClientSession session = new ClientSession(connection, ch, transacted);
            sessions.put(session);
            connection.request(ch, "OpenSession on channel " + ch, id -> new OpenSession(ch, id, transacted, ackMode),
                    new Reply() {
                        @Override
                        public void ok(Ok ok) {
                            future.complete(session);
                        }

                        @Override
                        public void failed(EngineException cause) {
                            session.end(cause, false);
                            // after a timeout the broker's view is unknown: keep the number so it cannot collide
                            sessions.remove(ch, cause.code() != ErrorCode.TIMEOUT);
                            future.completeExceptionally(cause);
                        }
                    });
        });
        return future;
    }

    CompletableFuture<Void> createTemporary(WireDestination destination) {
        return onControlChannel("CreateTemporary " + destination, id -> new CreateTemporary(id, destination));
    }

    CompletableFuture<Void> deleteTemporary(WireDestination destination) {
        return onControlChannel("DeleteTemporary " + destination, id -> new DeleteTemporary(id, destination));
    }

    CompletableFuture<Void> checkAccess(WireDestination destination, Permission permission) {
        return onControlChannel("CheckAccess " + permission.word() + " " + destination,
                id -> new CheckAccess(id, destination, permission));
    }

    /**
     * Tells the broker the connection closes (it abandons every lock of the connection). Sent while the connection
     * is closing, so it is not refused as the others would be; on the event loop.
     */
    CompletableFuture<Void> disconnect() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        connection.request(Protocol.CONTROL_CHANNEL, "Disconnect", Disconnect::new, Reply.completing(future));
        return future;
    }

    private CompletableFuture<Void> onControlChannel(String what, LongFunction<Frame> frameFor) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        connection.execute(() -> {
            EngineException refused = connection.refusal();
            if (refused != null) {
                future.completeExceptionally(refused);
            } else {
                connection.request(Protocol.CONTROL_CHANNEL, what, frameFor, Reply.completing(future));
            }
        });
        return future;
    }
}
