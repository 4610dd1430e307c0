package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.StoreOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Puts messages an operator moves, copies or replays onto their new destinations: each as a fresh send (a queue, or
 * every subscription of a topic that wants it; delivery count 1), stored anew when it is persistent and the
 * destination durable. The old store records of moved messages are removed <em>in the same atomic write</em> that
 * stores the new ones: after a crash either the move happened or it did not, so nothing is lost and nothing is
 * doubled. Thread-safe.
 */
public final class MessageTransfer {
    private static final Logger log = LoggerFactory.getLogger(MessageTransfer.class);

    private final DestinationRegistry destinations;

    public MessageTransfer(DestinationRegistry destinations) {
        this.destinations = Objects.requireNonNull(destinations, "destinations");
    }

    /**
     * A message on its way to a new destination.
     *
     * @param message       the message, addressed to where it goes ({@link WireMessage#destination()})
     * @param sourceStoreId the store record it leaves behind (removed with the new one's write); 0 for none — a copy,
     *                      or a message that was not stored
     */
    public record Relocation(WireMessage message, long sourceStoreId) {
        public Relocation {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Stores the messages on their new destinations and removes their old records in one write, then makes them
     * visible there, in the order given.
     *
     * @return completes once every message is on its destination; exceptionally with an {@link IllegalStateException}
     *         if the store could not write (the messages are then on their destinations in memory only, and after a
     *         restart back where they came from)
     * @throws BrokerException {@code INVALID_DESTINATION} for a temporary destination that does not exist (nothing
     *                         was done)
     */
    public CompletableFuture<Void> relocate(List<Relocation> relocations) {
        List<Publication> publications = new ArrayList<>(relocations.size());
        List<StoreOp> ops = new ArrayList<>();
        for (Relocation r : relocations) {
            Publication publication = destinations.prepare(r.message(), null);
            publications.add(publication);
            ops.addAll(publication.storeOps());
            if (r.sourceStoreId() != 0) {
                ops.add(new StoreOp.RemoveMessage(r.sourceStoreId()));
            }
        }
        if (ops.isEmpty()) {
            publications.forEach(Publication::deliver);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        destinations.storage().persistent().write(ops).whenComplete((v, e) -> {
            if (e == null) {
                publications.forEach(Publication::deliver);
                done.complete(null);
                return;
            }
            publications.forEach(Publication::deliverUnstored);
            log.warn("could not store {} moved message(s); they are on their new destinations in memory only, and"
                    + " after a restart back where they came from: {}", relocations.size(), e.toString());
            done.completeExceptionally(new IllegalStateException("the store could not write the move of "
                    + relocations.size() + " message(s) (" + e.getMessage() + "); they are on their new destinations"
                    + " in memory only and return to where they came from after a restart", e));
        });
        return done;
    }
}
