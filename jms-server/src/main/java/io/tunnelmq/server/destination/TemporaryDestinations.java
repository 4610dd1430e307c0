package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.store.StoreOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntConsumer;

/**
 * Temporary queues and topics: each belongs to the connection that created it. Any connection may send to one,
 * only its owner may consume from it, and it disappears (with its messages) when deleted or when its owner's
 * connection ends — unless a reconnecting client's new connection replaces that one: then it passes to the new
 * connection with its messages ({@link #transfer}), and the client's re-creation of it succeeds ({@link #create} is
 * idempotent for its owner). Over a store shared with other brokers, each is in the store too, so connections of
 * other brokers can send to it ({@link DestinationRegistry#prepare}); this broker remembers the ones deleted here, to
 * refuse its own connections' sends to them. Thread-safe.
 */
public final class TemporaryDestinations {
    /** Why a connection may not consume from a temporary destination it did not make. */
    private static final String ONLY_ITS_CONNECTION = "only the connection that created a temporary destination may"
            + " consume from it";
    private static final Logger log = LoggerFactory.getLogger(TemporaryDestinations.class);

    /** How many deleted ones are remembered. */
    static final int REMEMBERED = 10_000;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final DestinationRegistry destinations;
    /** Destination to the id of the owning connection. */
    private final Map<WireDestination, String> owners = new ConcurrentHashMap<>();
    /**
     * How many of {@link #owners} each connection has, changed with it: for its limit ({@link #create}), and so that a
     * connection ending with none (most do) costs no walk over every temporary destination of the broker.
     */
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    /** The most recently deleted ones (a shared store only): a send to one of them is refused, not stored. */
    private final Set<WireDestination> deleted = ConcurrentHashMap.newKeySet();
    private final Queue<WireDestination> deletedOrder = new ConcurrentLinkedQueue<>();

    TemporaryDestinations(DestinationRegistry destinations) {
        this.destinations = destinations;
    }

    /**
     * Creates a temporary destination of this connection; nothing happens if it has one of that name already (it
     * passed to it from the connection it replaced).
     *
     * @param requireRoom told how many temporary destinations the connection has before it gets a new one: throws if
     *                    that is its limit (not asked when it has this one already)
     * @return completes once other brokers sharing the store can send to it (at once without them)
     * @throws BrokerException {@code INVALID_DESTINATION} if another connection has it, or what {@code requireRoom}
     *                         throws
     */
    public CompletableFuture<Void> create(WireDestination destination, String connectionId, IntConsumer requireRoom) {
        requireTemporary(destination);
        if (!connectionId.equals(owners.get(destination))) {
            requireRoom.accept(counts.getOrDefault(connectionId, 0));
        }
        String owner = owners.putIfAbsent(destination, connectionId);
        if (owner != null && owner.equals(connectionId)) {
            log.debug("connection {} re-created {}, which it has", connectionId, destination);
            return DONE;
        }
        if (owner != null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "temporary destination " + destination
                    + " already exists; choose another name");
        }
        counts.merge(connectionId, 1, Integer::sum);
        log.debug("connection {} created {}", connectionId, destination);
        if (deleted.remove(destination)) {
            deletedOrder.remove(destination);
        }
        if (destinations.storage().shared() == null) {
            return DONE;
        }
        return destinations.storage().persistent().write(List.of(new StoreOp.AddTemporary(destination.name(),
                !destination.kind().isQueue(), connectionId)));
    }

    /** Whether a connection of this broker deleted it (or its connection ended) lately. */
    boolean deletedHere(WireDestination destination) {
        return deleted.contains(destination);
    }

    public boolean exists(WireDestination destination) {
        return owners.containsKey(destination);
    }

    /** The owning connection's id, if the destination exists. */
    public Optional<String> owner(WireDestination destination) {
        return Optional.ofNullable(owners.get(destination));
    }

    /**
     * @throws BrokerException {@code INVALID_DESTINATION} if it does not exist or belongs to another connection
     */
    public void checkConsumer(WireDestination destination, String connectionId) {
        String owner = owners.get(destination);
        if (owner == null) {
            // over a store shared with other brokers it may be another broker's: its connection is not this one
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "cannot consume from " + destination + ": it does"
                    + " not exist here (deleted, its connection closed, or made through another broker: "
                    + ONLY_ITS_CONNECTION + ")");
        }
        if (!owner.equals(connectionId)) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "cannot consume from " + destination + ": "
                    + ONLY_ITS_CONNECTION);
        }
    }

    /**
     * Deletes a destination of this connection.
     *
     * @throws BrokerException {@code INVALID_DESTINATION} if it does not exist or is another connection's,
     *                         {@code ILLEGAL_STATE} while it has consumers
     */
    public void delete(WireDestination destination, String connectionId) {
        requireTemporary(destination);
        String owner = owners.get(destination);
        if (owner == null || !owner.equals(connectionId)) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "cannot delete " + destination + ": "
                    + (owner == null ? "it does not exist (already deleted?)" : "it belongs to another connection"));
        }
        if (destinations.hasConsumers(destination)) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "cannot delete " + destination
                    + ": it still has consumers; close them first");
        }
        drop(destination);
    }

    /** The connection ended: its temporary destinations go, with their messages. @return how many */
    public int deleteAllOf(String connectionId) {
        if (!counts.containsKey(connectionId)) {
            return 0; // most connections end with none: no walk over every temporary destination of the broker
        }
        List<WireDestination> mine = new ArrayList<>();
        owners.forEach((d, owner) -> {
            if (owner.equals(connectionId)) {
                mine.add(d);
            }
        });
        mine.forEach(this::drop);
        return mine.size();
    }

    /**
     * A connection replaces one that ended: the old one's temporary destinations become the new one's, with their
     * messages. @return how many
     */
    public int transfer(String fromConnectionId, String toConnectionId) {
        if (!counts.containsKey(fromConnectionId)) {
            return 0; // most resumed connections had none: no walk over every temporary destination of the broker
        }
        int moved = 0;
        for (Map.Entry<WireDestination, String> e : owners.entrySet()) {
            if (e.getValue().equals(fromConnectionId) && owners.replace(e.getKey(), fromConnectionId, toConnectionId)) {
                uncount(fromConnectionId);
                counts.merge(toConnectionId, 1, Integer::sum);
                moved++;
                log.debug("{} passes from connection {} to connection {}", e.getKey(), fromConnectionId,
                        toConnectionId);
            }
        }
        return moved;
    }

    static BrokerException gone(WireDestination destination, String action) {
        return new BrokerException(ErrorCode.INVALID_DESTINATION, "cannot " + action + " " + destination
                + ": the temporary destination does not exist (deleted, or the connection that created it closed)");
    }

    private void drop(WireDestination destination) {
        String owner = owners.remove(destination);
        if (owner != null) {
            uncount(owner);
        }
        destinations.drop(destination);
        log.debug("deleted {}", destination);
        if (destinations.storage().shared() != null) {
            destinations.storage().persistent().writeLazily(List.of(new StoreOp.RemoveTemporary(destination.name())));
            if (deleted.add(destination)) {
                deletedOrder.add(destination);
            }
            // the set's size, not the queue's: a ConcurrentLinkedQueue counts by walking every node, per deletion
            while (deleted.size() > REMEMBERED) {
                WireDestination oldest = deletedOrder.poll();
                if (oldest == null) {
                    break; // another thread's name is in the set and not yet queued: that thread trims after it
                }
                deleted.remove(oldest);
            }
        }
    }

    private void uncount(String connectionId) {
        counts.computeIfPresent(connectionId, (id, n) -> n == 1 ? null : n - 1);
    }

    private static void requireTemporary(WireDestination destination) {
        if (!destination.kind().isTemporary()) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, destination + " is not a temporary destination");
        }
        checkNamed(destination, "create or delete");
    }

    /**
     * Refuses a name {@link Protocol#nameProblem} refuses (too long, or with characters that would show as something
     * else in logs and the console), a temporary destination whose name lacks {@link WireDestination#TEMPORARY_PREFIX},
     * and a queue or topic whose name has it: they share the broker's name space, and a temporary destination named
     * like a queue would be that queue (its creator could read, send to and delete it with no permission on it), a
     * queue named like a temporary one another connection's.
     *
     * @param action what the client wants to do, for the message ("send to", "consume from")
     */
    public static void checkNamed(WireDestination destination, String action) {
        String problem = Protocol.nameProblem("destination name", destination.name());
        if (problem != null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "cannot " + action + " it: " + problem);
        }
        if (destination.isNamedForItsKind()) {
            return;
        }
        throw new BrokerException(ErrorCode.INVALID_DESTINATION, "cannot " + action + " " + destination + ": "
                + (destination.kind().isTemporary() ? "a temporary destination's name begins with '"
                + WireDestination.TEMPORARY_PREFIX + "'" : "names beginning with '" + WireDestination.TEMPORARY_PREFIX
                + "' are reserved for temporary destinations"));
    }
}
