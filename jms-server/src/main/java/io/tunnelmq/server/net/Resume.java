package io.tunnelmq.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.server.session.BrokerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A connection's part in a resume, from both ends. A client that reconnects after a loss names its previous connection
 * in its Hello ({@code resume}). If the broker still holds that connection, both Hellos presented the same resume key
 * ({@code resumeKey}, a secret the client chose: connection ids are predictable) and it is the same user's (or both
 * have none), the broker ends it at once as lost — its seen locks abandoned, unseen ones released, its consumers
 * closed (a durable subscription's too), its client ID freed — before it takes the new connection's client ID, so the
 * client need not wait for heartbeats to say the old one is dead. Its temporary destinations are not deleted but pass
 * to the new connection with their messages, so the client's re-creation of them (same names) finds the messages sent
 * meanwhile. If either Hello presented no key, the keys differ or the users do, the resume is ignored (WARN, never
 * with the key): a connection without a key can never be ended so. An id the broker does not hold (it restarted, or
 * already noticed the loss) is ignored.
 *
 * <p>Apart from {@link ConnectionHandler} because a resume is one exchange between two connections, each on its own
 * event loop: the new one asks ({@link #endPrevious}) and waits, the old one checks the key and the user and ends
 * itself ({@link #endReplacedBy}). The handler keeps the connection's states and pauses its reads meanwhile; this
 * holds what the old end checks (its user and resume key) and whether temporary destinations may have passed to the
 * new end.
 */
final class Resume {
    private static final Logger log = LoggerFactory.getLogger(Resume.class);

    private final String connectionId;
    private final BrokerContext broker;
    private final OpenConnection handler;
    /** The connection's handler context (its event loop, its peer), once open. */
    private ChannelHandlerContext context;
    /** Runs work on the connection's event loop, once open. */
    private Executor tasks;
    /** The user of the Hello, once open: only the same user may replace this connection. */
    private String user;
    /** The resume key of the Hello, once open, or null: only a successor presenting it may replace this connection. */
    private String key;
    /** Temporary destinations may have passed to this connection from the one it replaced. */
    private boolean inherited;

    Resume(String connectionId, BrokerContext broker, OpenConnection handler) {
        this.connectionId = connectionId;
        this.broker = broker;
        this.handler = handler;
    }

    /**
     * Asks the connection that {@code hello} resumes to end, on its own event loop, as lost.
     *
     * @param previous the resume end of the connection the Hello names ({@link LiveConnections#resumeOf}), or null
     * @return completes once that is done (never exceptionally); null if there is nothing to end: the Hello resumes
     *         nothing, or a connection the broker does not hold
     */
    CompletableFuture<Void> endPrevious(ChannelHandlerContext ctx, Hello hello, Handshake.Terms terms,
                                        Resume previous) {
        if (previous == null || previous == this) {
            if (terms.resumeConnectionId() != null) {
                log.debug("connection {} from {} resumes connection {}, which the broker does not hold; nothing to end",
                        connectionId, ctx.channel().remoteAddress(), terms.resumeConnectionId());
            }
            return null;
        }
        inherited = true;
        return previous.endReplacedBy(connectionId, ctx.channel().remoteAddress(), hello.user(), terms.resumeKey());
    }

    /**
     * The connection is open, its work run by {@code tasks}: only a successor of {@code user} presenting
     * {@code resumeKey} (null: none) may replace it.
     */
    void opened(ChannelHandlerContext ctx, Executor tasks, String user, String resumeKey) {
        this.context = ctx;
        this.tasks = tasks;
        this.user = user;
        this.key = resumeKey;
    }

    /**
     * Ends this connection, on its own event loop, as lost, because connection {@code newConnectionId} of the same
     * user replaces it: its temporary destinations pass to that connection. Does nothing if it is not open (any more),
     * {@code newUser} is another user, or {@code newKey} is not the resume key this connection presented (or either
     * is missing). The future completes once that is done (never exceptionally).
     */
    private CompletableFuture<Void> endReplacedBy(String newConnectionId, SocketAddress newRemote, String newUser,
                                                  String newKey) {
        return LoopCalls.call(tasks, () -> {
            endNowReplacedBy(newConnectionId, newRemote, newUser, newKey);
            return null;
        }, null);
    }

    private void endNowReplacedBy(String newConnectionId, SocketAddress newRemote, String newUser, String newKey) {
        if (!handler.isOpen()) {
            log.debug("connection {} was to be replaced by connection {}, but it is closed already", connectionId,
                    newConnectionId);
            return;
        }
        String refusal = Handshake.replacementRefusal(user, key, newUser, newKey);
        if (refusal != null) {
            log.warn("connection {} from {} (user {}) asked to replace connection {} from {} (user {}); ignored: {}",
                    newConnectionId, newRemote, newUser, connectionId, context.channel().remoteAddress(), user,
                    refusal);
            return;
        }
        int passed = broker.destinations().temporaries().transfer(connectionId, newConnectionId);
        log.info("connection {} from {} is replaced by connection {} of the same client: ending it as lost ({}"
                + " temporary destination(s) pass to the new connection)", connectionId,
                context.channel().remoteAddress(), newConnectionId, passed);
        handler.fail(context, ErrorCode.CONNECTION_FAILED, "connection " + newConnectionId
                + " of the same client replaced this one");
    }

    /** The connection closed before it opened: temporary destinations that passed to it go with it. */
    void closedUnopened() {
        if (inherited) {
            broker.destinations().temporaries().deleteAllOf(connectionId);
        }
    }
}
