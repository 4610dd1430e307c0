package io.tunnelmq.server.store.pages;

import io.tunnelmq.protocol.message.WireMessage;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Where queues keep the messages they page out of memory, and how they get them back: a stored (persistent)
 * message is read back from the message store by its store id (it is written once, in the journal); any other one
 * is written to the broker's scratch page file and read back by the reference that gave. Reads are batches, so a
 * consumer draining a paged backlog costs sequential reads, not one random read per message.
 */
public interface PagedMessages {

    /** No paging: queues hold every message in memory (a broker without a data directory). */
    PagedMessages NONE = new PagedMessages() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public long write(WireMessage message) throws IOException {
            throw new IOException("this broker has no page file (no data directory)");
        }

        @Override
        public CompletableFuture<WireMessage[]> read(long[] storeIds, long[] pageRefs) {
            return CompletableFuture.failedFuture(new IOException("this broker has no page file"));
        }

        @Override
        public void free(long pageRef) {
        }

        @Override
        public String toString() {
            return "no paging";
        }
    };

    /** Whether queues page at all. */
    boolean enabled();

    /**
     * Writes a message that is not stored to the page file. Never called under a queue's lock.
     *
     * @return its page reference (> 0), to read it back and free it
     * @throws IOException if the page file cannot take it (the disk is full): the queue keeps it in memory instead
     */
    long write(WireMessage message) throws IOException;

    /**
     * Reads messages back: entry {@code i} by {@code storeIds[i]} from the message store when that is not 0, else by
     * {@code pageRefs[i]} from the page file. Completes off the caller's thread, never on the journal's, with one
     * entry per request (null where the message is gone), or exceptionally if the disk failed.
     */
    CompletableFuture<WireMessage[]> read(long[] storeIds, long[] pageRefs);

    /** The message at this page reference left its queue: its space may be reused. */
    void free(long pageRef);
}
