package io.tunnelmq.server.management;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.cluster.ClaimFeeds;
import io.tunnelmq.server.destination.MessageTransfer;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoredQueue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.BiPredicate;

/**
 * The part of an operator's move, copy or replay that acts on a store shared with other brokers: the source's messages
 * (a queue's, or a durable or shared subscription's) no broker holds are claimed to this broker a page at a time;
 * those chosen go to their new destinations ({@link MessageTransfer}: the new records and the removal of the old ones
 * in one write; a copy hands its source back), the others are handed back declined, so the next page passes them by
 * (a subscription's copies its selector drops among them: its broker drops those as it claims), and the declines are
 * taken back at the end. What other brokers hold stays where it is, as locked messages do; so do messages waiting in
 * the store for their delivery time.
 */
final class StoredMoves {
    /** Messages claimed per page: one claim, one write and one hand-back each. */
    static final int PAGE = 500;

    private StoredMoves() {
    }

    /** @return how many messages went to their new destinations */
    static int relocate(ClaimFeeds cluster, MessageTransfer transfer, StoredQueue key, String queue,
                        BiPredicate<WireMessage, String> filter, boolean copy,
                        Function<WireMessage, WireMessage> readdress) {
        int moved = 0;
        try {
            while (true) {
                List<SharedQueues.Claimed> claimed = StoreWait.result(cluster.claimForOperator(key, PAGE,
                        System.currentTimeMillis()), "claim messages of '" + queue + "'", "none was moved")
                        .claimed();
                if (!claimed.isEmpty()) {
                    moved += page(cluster, transfer, key, queue, claimed, filter, copy, readdress);
                }
                if (claimed.size() < PAGE) {
                    return moved; // the store had no more: what producers send meanwhile is not chased forever
                }
            }
        } finally {
            StoreWait.result(cluster.undecline(key), "take back the declines of '" + queue + "'",
                    "the claims of this broker pass its messages by until its consumers of it change");
        }
    }

    private static int page(ClaimFeeds cluster, MessageTransfer transfer, StoredQueue key, String queue,
                            List<SharedQueues.Claimed> claimed, BiPredicate<WireMessage, String> filter, boolean copy,
                            Function<WireMessage, WireMessage> readdress) {
        List<MessageTransfer.Relocation> relocations = new ArrayList<>();
        List<SharedQueues.Released> back = new ArrayList<>();
        for (SharedQueues.Claimed c : claimed) {
            boolean chosen = filter.test(c.message(), c.publisher());
            if (chosen) {
                relocations.add(new MessageTransfer.Relocation(readdress.apply(c.message()), copy ? 0 : c.id()));
            }
            if (!chosen || copy) {
                back.add(new SharedQueues.Released(c.id(), c.deliveryCount(), 0, true));
            }
        }
        RuntimeException failed = null;
        if (!relocations.isEmpty()) {
            try {
                // a write that fails leaves the moved ones' records claimed here: back where they came from when this
                // broker leaves, as a single broker has them back after a restart
                StoreWait.result(transfer.relocate(relocations), "write moved messages",
                        "they reach their targets once it does");
            } catch (RuntimeException e) {
                failed = e;
            }
        }
        if (!back.isEmpty()) {
            try {
                StoreWait.result(cluster.handBack(key, back), "hand back messages of '" + queue + "'",
                        "they go back when it does, or when this broker leaves");
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
        return relocations.size();
    }
}
