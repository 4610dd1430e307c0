package io.tunnelmq.server.session;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Browse;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.destination.BrokerException;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.queue.BrowsePage;
import io.tunnelmq.server.selector.Selector;
import io.tunnelmq.server.selector.SelectorException;
import io.tunnelmq.server.store.SharedQueues;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Answers a {@link Browse}: a page of a queue's messages, unlocked, that fits in one frame, with the cursor the next
 * page continues from (a peer that sends no cursor pages by offset instead).
 */
final class QueueBrowsing {
    /** The most messages one page carries, whatever the client asks for. */
    static final int MAX_PAGE_MESSAGES = 1000;

    private QueueBrowsing() {
    }

    /** A page of messages, whether the queue has no more beyond it, and where the next page continues. */
    record Page(List<WireMessage> messages, boolean last, long cursor) {
    }

    /**
     * A page: at once from a queue of this broker's own, or read from the store it shares with other brokers
     * ({@link SharedBrowsing}; then it completes on the store's thread).
     *
     * @param maxFrameSize the page (with the frame's own fields) must fit a frame of this size
     */
    static CompletableFuture<Page> page(Browse request, DestinationRegistry destinations, int maxFrameSize) {
        if (!request.destination().kind().isQueue()) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "only queues can be browsed, not "
                    + request.destination());
        }
        destinations.checkSupported(request.destination(), "browse");
        Selector selector;
        try {
            selector = Selector.compile(request.selector());
        } catch (SelectorException e) {
            throw new BrokerException(ErrorCode.INVALID_SELECTOR, e.getMessage());
        }
        int wanted = Math.min(request.maxMessages(), MAX_PAGE_MESSAGES);
        long budget = maxFrameSize / 2; // sizeEstimate is an estimate: leave room for its error and the header
        SharedQueues shared = destinations.storage().shared();
        if (shared != null && !request.destination().kind().isTemporary()) {
            return SharedBrowsing.page(request, shared, destinations.findQueue(request.destination().name())
                    .orElse(null), selector, wanted, budget, System::currentTimeMillis, Runnable::run);
        }
        return CompletableFuture.completedFuture(local(request, destinations, selector, wanted, budget));
    }

    private static Page local(Browse request, DestinationRegistry destinations, Selector selector, int wanted,
                              long budget) {
        // one more than wanted tells whether this page is the last
        BrowsePage found = destinations.findQueue(request.destination().name())
                .map(q -> q.browse(m -> Selector.matches(selector, m), request.cursor(), request.offset(), wanted + 1))
                .orElse(null);
        if (found == null) {
            return new Page(List.of(), true, 0);
        }
        List<WireMessage> page = new ArrayList<>();
        long bytes = 0;
        for (WireMessage m : found.messages()) {
            if (page.size() == wanted || (!page.isEmpty() && bytes + m.sizeEstimate() > budget)) {
                return new Page(page, false, found.cursors()[page.size() - 1]);
            }
            page.add(m);
            bytes += m.sizeEstimate();
        }
        return new Page(page, found.end(), found.next());
    }
}
