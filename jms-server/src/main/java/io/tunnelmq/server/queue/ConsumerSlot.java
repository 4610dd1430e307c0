package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.selector.Selector;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * One consumer of a {@link ConsumerRing}, the deliveries it may still take, and the deliveries it holds. Guarded by
 * the queue's lock, like its ring.
 */
final class ConsumerSlot {
    /** The ring it is attached to, which counts the slots holding revocable deliveries; null for none. */
    private final ConsumerRing ring;
    final QueueConsumer consumer;
    /** Byte credit it was opened with; 0 = no byte limit. */
    final long initialBytes;
    int credit;
    /** Bytes it may still take; may go below 0 by the one message allowed beyond it. */
    long creditBytes;
    /** Delivered to it and still locked (settled or expired locks leave). */
    int outstanding;
    /** Unseen deliveries (no Settle TAKEN yet) not revoked, oldest first; change it only through the methods. */
    final TokenList revocable = new TokenList();
    /** Unseen deliveries revoked and not answered yet, with the starving slot each was revoked for. */
    private Map<Long, ConsumerSlot> revoked;
    /** Tokens revoked from others for this slot and not answered yet: it is not starving meanwhile. */
    int inbound;
    /** It gave prefetched messages back unseen: no deliveries until its client sends a Credit. */
    boolean declined;
    /**
     * How many times its client said WAITING. A WAITING sent after a delivery means the client no longer buffers
     * it unseen (it dropped it as lost, judging by its own clock), so that lock expiring later declines nothing.
     */
    int waits;
    /** False once detached: its bookkeeping no longer counts for the ring. */
    boolean attached = true;
    /** The messages it takes; null = all. */
    final Selector selector;

    /** A slot of no ring (a stand-in that is never attached). */
    ConsumerSlot(QueueConsumer consumer, int credit, long creditBytes) {
        this(null, consumer, credit, creditBytes);
    }

    ConsumerSlot(ConsumerRing ring, QueueConsumer consumer, int credit, long creditBytes) {
        this.ring = ring;
        this.consumer = consumer;
        this.selector = consumer.selector();
        this.credit = credit;
        this.initialBytes = creditBytes;
        this.creditBytes = creditBytes;
    }

    /**
     * Whether it may take a message of {@code size} bytes: not declined, it has message credit and, with a byte
     * limit, enough byte credit — or more than half its byte credit left, which is always the case once its
     * client's buffer is empty (the client grants at the latest at half), so a message larger than the whole
     * byte credit is never stuck. Its connection must also be able to take writes.
     */
    boolean mayTake(int size) {
        return credit > 0 && !declined
                && (initialBytes == 0 || creditBytes >= size || creditBytes > initialBytes / 2)
                && consumer.isWritable();
    }

    /**
     * Starving: it could take a message (credit, bytes, writable), holds no unseen delivery, did not decline,
     * and awaits no revocation made for it.
     */
    boolean isStarving() {
        return credit > 0 && !declined && inbound == 0 && unseen() == 0
                && (initialBytes == 0 || creditBytes > 0) && consumer.isWritable();
    }

    /** Unseen deliveries it holds, revoked or not: its load. */
    int unseen() {
        return revocable.size() + (revoked == null ? 0 : revoked.size());
    }

    /** Whether its selector (if any) selects the message for a delivery with this count. */
    boolean accepts(WireMessage message, int deliveryCount) {
        return selector == null || selector.matches(message, deliveryCount);
    }

    /** Whether this delivery was revoked and the client has not answered yet. */
    boolean isRevoked(long lockToken) {
        return revoked != null && revoked.containsKey(lockToken);
    }

    /** The slot a revoked, unanswered delivery was revoked for, or null. */
    ConsumerSlot revokedFor(long lockToken) {
        return revoked == null ? null : revoked.get(lockToken);
    }

    /** Revokes these revocable tokens for {@code starving}: each token is revoked at most once. */
    long[] revoke(long[] tokens, ConsumerSlot starving) {
        if (revoked == null) {
            revoked = new HashMap<>();
        }
        boolean held = !revocable.isEmpty();
        for (long token : tokens) {
            revocable.remove(token);
            revoked.put(token, starving);
        }
        revocableChanged(held);
        starving.inbound += tokens.length;
        return tokens;
    }

    void delivered(long lockToken, int size) {
        credit--;
        if (initialBytes > 0) {
            creditBytes -= size;
        }
        outstanding++;
        revocable.add(lockToken);
        revocableChanged(revocable.size() > 1);
    }

    /** The application was handed it. @return whether it had been revoked (the client took it first) */
    boolean taken(long lockToken) {
        return !removeRevocable(lockToken) && answered(lockToken);
    }

    void ended(long lockToken) {
        outstanding--;
        if (!removeRevocable(lockToken)) {
            answered(lockToken);
        }
    }

    private boolean removeRevocable(long lockToken) {
        boolean removed = revocable.remove(lockToken);
        if (removed) {
            revocableChanged(true);
        }
        return removed;
    }

    /** Keeps the ring's count of holders: {@code held} says whether it held revocable deliveries before. */
    private void revocableChanged(boolean held) {
        boolean holds = !revocable.isEmpty();
        if (ring != null && attached && held != holds) {
            ring.holdingChanged(holds);
        }
    }

    private boolean answered(long lockToken) {
        ConsumerSlot starving = revoked == null ? null : revoked.remove(lockToken);
        if (starving == null) {
            return false;
        }
        starving.inbound--;
        return true;
    }

    /**
     * The newest {@code count} revocable tokens among those {@code wanted} accepts (null: all): the application
     * takes the oldest first, so the newest are the likeliest to come back unseen.
     */
    long[] newestRevocable(int count, LongPredicate wanted) {
        return revocable.newest(count, wanted);
    }

    /** Whether it may be dispatched to: message credit and not declined. */
    boolean dispatchable() {
        return credit > 0 && !declined;
    }
}
