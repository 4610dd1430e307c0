package io.tunnelmq.server.net;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.PeerText;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.server.store.SharedClientIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JMS client IDs of this broker's connections: JMS allows a client ID on one connection at a time. A claim is
 * checked against this broker's connections at once; over a store shared with other brokers it then goes to the store
 * ({@link SharedClientIds}), which checks theirs, and where a client that failed over from another broker takes its
 * client ID over. Thread-safe.
 */
final class ClientIds {
    private static final Logger log = LoggerFactory.getLogger(ClientIds.class);

    private final Map<String, String> owners = new ConcurrentHashMap<>();
    /** Null when no other broker shares the store. */
    private final SharedClientIds shared;

    ClientIds(SharedClientIds shared) {
        this.shared = shared;
    }

    /**
     * @return completes (at once without other brokers) with whether the connection holds the client ID now, or
     *         exceptionally when the shared store could not say (then it does not)
     */
    CompletableFuture<Boolean> claim(SharedClientIds.Claim claim) {
        if (owners.putIfAbsent(claim.clientId(), claim.connectionId()) != null) {
            return CompletableFuture.completedFuture(false);
        }
        if (shared == null) {
            return CompletableFuture.completedFuture(true);
        }
        return shared.claim(claim).whenComplete((granted, e) -> {
            if (e != null || !granted) {
                owners.remove(claim.clientId(), claim.connectionId());
            }
        });
    }

    /**
     * Why a connection is refused its client ID: {@code claimed} (the answer of {@link #claim}, done) did not grant
     * it; null if it did.
     */
    ProtocolException refusal(String clientId, CompletableFuture<Boolean> claimed) {
        Boolean granted = claimed.handle((held, e) -> e == null ? held : null).join();
        if (granted == null) {
            return new ProtocolException(ErrorCode.STORE_FAILURE, "client ID '" + PeerText.of(clientId)
                    + "' could not be claimed across the brokers (the shared store failed); try again");
        }
        return granted ? null : new ProtocolException(ErrorCode.INVALID_CLIENT_ID, "client ID '"
                + PeerText.of(clientId) + "' is already in use by another connection" + (shared == null ? ""
                : " (through this broker or another over the same database)"));
    }

    /**
     * Gives back what {@code claimed} (the answer of {@link #claim}) granted: nothing if it was refused.
     *
     * @return completes once the shared store has it back (at once without one), so that a close answered then leaves
     *         it free for another broker's connection; never fails
     */
    CompletableFuture<Void> release(String clientId, String connectionId, CompletableFuture<Boolean> claimed) {
        owners.remove(clientId, connectionId);
        if (shared == null) {
            return CompletableFuture.completedFuture(null);
        }
        return claimed.handle((granted, e) -> e == null && granted).thenCompose(granted -> !granted
                ? CompletableFuture.completedFuture(null)
                : shared.release(clientId, connectionId).exceptionally(e -> {
                    log.warn("could not give client ID '{}' back in the shared store: other brokers refuse it until"
                            + " this broker stops or is taken for dead: {}", PeerText.of(clientId), e.toString());
                    return null;
                }));
    }
}
