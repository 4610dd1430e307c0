package io.tunnelmq.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.server.management.ConnectionView;
import io.tunnelmq.server.session.ClientConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * An open connection as operators see it, and the one thing they do to it: who it is ({@link #describe}, for logs
 * and admin replies), its figures for the console and {@code admin connections} ({@link #view}) and an
 * administrator's close. Apart from {@link ConnectionHandler} because other threads call it — {@link LiveConnections}
 * lists and closes connections through it — so every call but {@link #describe} hops onto the connection's event
 * loop, where its state may be read, and does without it once the loop is gone. Made when the connection opens.
 */
final class OperatorView {
    private static final Logger log = LoggerFactory.getLogger(OperatorView.class);

    private final String connectionId;
    private final ChannelHandlerContext context;
    /** Runs work on the connection's event loop. */
    private final Executor tasks;
    private final String user;
    private final String clientId;
    private final ClientConnection connection;
    private final long openedAtMillis;
    private final OpenConnection handler;
    private final String description;

    /**
     * @param tasks          runs work on its event loop
     * @param user           the user of its Hello; null without credentials
     * @param clientId       its JMS client ID; null if it set none
     * @param connection     its sessions and consumers
     * @param openedAtMillis when the client connected
     */
    OperatorView(String connectionId, ChannelHandlerContext context, Executor tasks, String user, String clientId,
                 ClientConnection connection, long openedAtMillis, OpenConnection handler) {
        this.connectionId = connectionId;
        this.context = context;
        this.tasks = tasks;
        this.user = user;
        this.clientId = clientId;
        this.connection = connection;
        this.openedAtMillis = openedAtMillis;
        this.handler = handler;
        this.description = ConnectionNumbers.describe(connectionId, user, context.channel().remoteAddress(), clientId);
    }

    /** Who this connection is, e.g. {@code connection 7 (alice@127.0.0.1:53412, client ID app1)}. Any thread. */
    String describe() {
        return description;
    }

    /**
     * This connection as operators see it, read on its event loop; completes with null if it is not open (any more).
     */
    CompletableFuture<ConnectionView> view() {
        return LoopCalls.call(tasks, () -> handler.isOpen() ? viewNow() : null, null);
    }

    private ConnectionView viewNow() {
        WireWatch bytes = WireWatch.of(context.pipeline());
        return new ConnectionView(ConnectionNumbers.number(connectionId),
                ConnectionNumbers.address(context.channel().remoteAddress()), user, clientId,
                connection.sessionCount(), connection.consumerCount(), bytes == null ? 0 : bytes.in(),
                bytes == null ? 0 : bytes.out(), openedAtMillis);
    }

    /** Ends this connection, on its event loop, as lost, telling the client an administrator closed it. */
    void closeByAdministrator() {
        close("closed by an administrator", "an administrator closed this connection");
    }

    /**
     * Ends this connection, on its event loop, as lost: its client, which lost it, failed over to another broker and
     * took its client ID over there.
     */
    void closeTakenOver() {
        close("ended: its client failed over to another broker and took its client ID over there",
                "this connection's client ID was taken over through another broker by its client, which failed over");
    }

    private void close(String logged, String told) {
        LoopCalls.run(tasks, () -> {
            if (handler.isOpen()) {
                log.info("{} {}", describe(), logged);
                handler.fail(context, ErrorCode.CONNECTION_FAILED, told);
            }
        }, () -> log.debug("connection {}: the broker is shutting down; it closes anyway", connectionId));
    }
}
