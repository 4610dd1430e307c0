package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.store.StoreOp;

import java.util.ArrayList;
import java.util.List;

/**
 * A message on its way into its queues (one queue, or every topic subscription that wants it), decided when it was
 * sent: the store ops that make it durable, and the enqueue that makes it visible, which the caller runs once those
 * ops are durable. Nothing is visible before {@link #deliver()}.
 */
public final class Publication {
    private final WireMessage message;
    private final List<PeekLockQueue> queues = new ArrayList<>(1);
    private final List<Long> storeIds = new ArrayList<>(1);
    private final List<StoreOp> storeOps = new ArrayList<>(1);
    /** This broker's subscriptions that the store copies a shared topic's message to: woken once it is stored. */
    private final List<PeekLockQueue> copiedTo = new ArrayList<>(0);

    Publication(WireMessage message) {
        this.message = message;
    }

    void add(PeekLockQueue queue, long storeId, StoreOp op) {
        queues.add(queue);
        storeIds.add(storeId);
        if (op != null) {
            storeOps.add(op);
        }
    }

    /**
     * A message in a store shared with other brokers that the store puts where it belongs ({@code fanOut}: every
     * subscription of a topic, another broker's temporary queue); this broker's queues among them ({@code local}) are
     * woken to claim their copies.
     */
    void addCopied(StoreOp fanOut, List<PeekLockQueue> local) {
        storeOps.add(fanOut);
        copiedTo.addAll(local);
    }

    public WireMessage message() {
        return message;
    }

    /** What to write (one atomic batch, possibly with other publications) before {@link #deliver()}; may be empty. */
    public List<StoreOp> storeOps() {
        return storeOps;
    }

    /** Puts the message on its queues. Any thread; once. */
    public void deliver() {
        for (int i = 0; i < queues.size(); i++) {
            queues.get(i).enqueue(message, storeIds.get(i));
        }
        copiedTo.forEach(queue -> queue.sharing().arrived());
    }

    /**
     * Puts the message on its queues without the store ids {@link #storeOps()} named: for when writing them failed, so
     * nothing refers to records that do not exist.
     */
    void deliverUnstored() {
        for (PeekLockQueue queue : queues) {
            queue.enqueue(message, 0);
        }
    }
}
