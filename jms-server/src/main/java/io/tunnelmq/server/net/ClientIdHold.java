package io.tunnelmq.server.net;

import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.server.store.SharedClientIds;

import java.util.concurrent.CompletableFuture;

/**
 * The JMS client ID one connection holds, from its Hello to its end: claimed once across the brokers
 * ({@link ClientIds#claim}), checked once the claim is answered, given back once when the connection ends. Confined to
 * the connection's event loop.
 */
final class ClientIdHold {
    private final ClientIds ids;
    private final String connectionId;
    /** The Hello's client ID, once claimed; null while it has none. */
    private String clientId;
    /** Whether this connection holds {@link #clientId}; null while it claimed none, or after it was given back. */
    private CompletableFuture<Boolean> claim;

    ClientIdHold(ClientIds ids, String connectionId) {
        this.ids = ids;
        this.connectionId = connectionId;
    }

    /**
     * Claims the Hello's client ID, the first time only.
     *
     * @return the claim's answer, done or not; null when the Hello names none or it was claimed already
     */
    CompletableFuture<Boolean> claim(Hello hello, Handshake.Terms terms) {
        if (hello.clientId() == null || claim != null) {
            return null;
        }
        clientId = hello.clientId();
        claim = ids.claim(new SharedClientIds.Claim(clientId, connectionId, hello.user(), terms.resumeConnectionId(),
                terms.resumeKey()));
        return claim;
    }

    /** Why the connection may not have its client ID, once the claim is answered; null if it holds it or named none. */
    ProtocolException refusal() {
        return claim == null ? null : ids.refusal(clientId, claim);
    }

    /** The client ID claimed, or null. */
    String clientId() {
        return clientId;
    }

    /** Gives the client ID back, once ({@link ClientIds#release}); never fails. */
    CompletableFuture<Void> release() {
        CompletableFuture<Boolean> claimed = claim;
        claim = null;
        return claimed == null ? CompletableFuture.completedFuture(null) : ids.release(clientId, connectionId, claimed);
    }
}
