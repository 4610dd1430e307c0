package io.tunnelmq.server.store;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * JMS client IDs across the brokers over a shared store: JMS allows a client ID on one connection at a time, wherever
 * it is. A connection claims its client ID as it opens (after its own broker's check) and gives it back as it closes;
 * a broker's claims go when it stops or is taken for dead. Nothing here blocks the caller.
 */
public interface SharedClientIds {

    /**
     * Claims {@code claim.clientId()} for a connection of this broker. It is granted when no connection holds it, a
     * connection of this broker held it (this broker's own check passed: that one is gone), the broker holding it is no
     * longer alive, or it is held by the connection this one resumes ({@link Claim#resumes}) with the same user and
     * resume key: a client that failed over takes its client ID over, and the broker holding it is told to end that
     * connection ({@link #listenTakeovers}), which it may not have noticed lost yet.
     *
     * @return completes with whether it was granted (false: a connection through another live broker holds it), or
     *         exceptionally with a {@link StoreException} naming the store
     */
    CompletableFuture<Boolean> claim(Claim claim);

    /** Gives back what {@link #claim} granted {@code connectionId} (nothing if another connection took it over). */
    CompletableFuture<Void> release(String clientId, String connectionId);

    /**
     * Tells {@code takenOver} (one listener; a later call replaces it) the id of a connection of this broker whose
     * client ID the same client took over through another broker: that connection must end. Called on the store's own
     * thread; must not block.
     */
    void listenTakeovers(Consumer<String> takenOver);

    /**
     * A connection's claim of its client ID.
     *
     * @param resumes   the id of the connection (of any broker) this one replaces after a loss, or null
     * @param resumeKey the secret the client presented to resume with (see the Hello's {@code resumeKey}), or null:
     *                  without one a claim takes nothing over
     */
    record Claim(String clientId, String connectionId, String user, String resumes, String resumeKey) {
        public Claim {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(connectionId, "connectionId");
        }

        @Override
        public String toString() {
            return "Claim[clientId=" + clientId + ", connectionId=" + connectionId + ", user=" + user + ", resumes="
                    + resumes + "]"; // never the key
        }
    }
}
