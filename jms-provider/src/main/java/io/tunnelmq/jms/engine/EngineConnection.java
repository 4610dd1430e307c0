package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.message.WireDestination;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One TCP connection to the broker: channel 0 plus one channel per session. */
public interface EngineConnection {

    /** The broker's id for this connection (from the handshake). */
    String connectionId();

    /** The broker's product version (from the handshake). */
    String brokerVersion();

    /** The protocol version agreed in the handshake. */
    int protocolVersion();

    /** Opens a session on a new channel. */
    CompletableFuture<EngineSession> openSession(boolean transacted, int ackMode);

    /**
     * Creates a temporary queue or topic owned by this connection on the broker (the name is the caller's and must
     * be unique; fails with {@code INVALID_DESTINATION} if it is taken). The broker deletes it when the
     * connection ends.
     */
    CompletableFuture<Void> createTemporary(WireDestination destination);

    /**
     * Deletes a temporary destination this connection created. Fails with {@code ILLEGAL_STATE} while it has
     * consumers, {@code INVALID_DESTINATION} if it does not exist.
     */
    CompletableFuture<Void> deleteTemporary(WireDestination destination);

    /**
     * Closes the connection: tells the broker (which abandons every lock of the connection), waits for its
     * answer up to the request timeout, then closes the socket and releases the engine's threads. Idempotent;
     * every later operation fails with {@code ILLEGAL_STATE}.
     */
    CompletableFuture<Void> close();

    /** True once closed or failed. */
    boolean isClosed();

    /**
     * True while nothing has been heard from the broker for two heartbeat intervals: the broker counts the
     * connection dead after three and gives its unseen messages to other consumers, so a buffered message must not
     * be handed to the application now (it could reach another consumer as a first delivery too).
     * {@link ConnectionEvents#brokerHeardAgain()} tells when this ends; never true without heartbeats. Thread-safe.
     */
    default boolean brokerQuiet() {
        return false;
    }

    /**
     * Other brokers the broker told this client about in the handshake ({@code host:port} each), to fail over to;
     * empty when it named none.
     */
    default List<String> peers() {
        return List.of();
    }

    /**
     * The identity of the broker's message store (from the handshake), or null if the broker named none (an older
     * broker, or one whose store could not be opened). Two connections with the same store id reach the same data:
     * only such a broker can say whether a commit made over the other connection was applied
     * ({@link EngineSession#committed}).
     */
    default String storeId() {
        return null;
    }

    /**
     * Whether the broker checks permissions (from the handshake): then a JMS call that sends nothing by itself
     * (creating a producer or a browser) asks it with {@link #checkAccess}, so a denial comes at once. False for an
     * open broker, which is never asked.
     */
    default boolean accessChecked() {
        return false;
    }

    /**
     * Asks the broker whether this connection's user has {@code permission} on {@code destination}; fails with
     * {@code NOT_AUTHORIZED} (naming user, destination and permission) if not. For {@code SEND} the broker also asks
     * for {@code create} when the destination does not exist yet. Completes at once (allowed) when
     * {@link #accessChecked()} is false.
     */
    default CompletableFuture<Void> checkAccess(WireDestination destination, Permission permission) {
        return CompletableFuture.completedFuture(null);
    }
}
