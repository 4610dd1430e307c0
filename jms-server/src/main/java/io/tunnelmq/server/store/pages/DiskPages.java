package io.tunnelmq.server.store.pages;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.MessageStore;
import io.tunnelmq.server.store.StoreThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Paging on disk: stored messages are read back from the message store (the journal, which has them already), the
 * others are kept in the {@link PageFile}. Reads of a batch run on the pager thread: the page file's part there, the
 * store's on the store's thread (decoded on the pager thread), and the answer always completes on the pager thread, so a queue never takes its
 * lock (and dispatches) on the journal's writer thread.
 */
public final class DiskPages implements PagedMessages, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DiskPages.class);
    static final String THREAD_NAME = "tunnelmq-pager";

    private final MessageStore store;
    private final PageFile pageFile;
    private final ExecutorService pager = Executors.newSingleThreadExecutor(StoreThreads.daemon(THREAD_NAME));

    public DiskPages(MessageStore store, PageFile pageFile) {
        this.store = store;
        this.pageFile = pageFile;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public long write(WireMessage message) throws IOException {
        return pageFile.write(message);
    }

    @Override
    public CompletableFuture<WireMessage[]> read(long[] storeIds, long[] pageRefs) {
        int[] storedAt = indicesWhere(storeIds.length, i -> storeIds[i] != 0);
        CompletableFuture<WireMessage[]> fromStore = storedAt.length == 0
                ? CompletableFuture.completedFuture(new WireMessage[0]) : store.read(pick(storeIds, storedAt), pager);
        CompletableFuture<WireMessage[]> fromPages = CompletableFuture.supplyAsync(() -> readPages(storeIds, pageRefs),
                pager);
        return fromPages.thenCombineAsync(fromStore, (messages, stored) -> spread(stored, storedAt, messages), pager);
    }

    /** The page file's part of a batch; entries of stored messages stay null. */
    private WireMessage[] readPages(long[] storeIds, long[] pageRefs) {
        WireMessage[] messages = new WireMessage[storeIds.length];
        int[] pagedAt = indicesWhere(storeIds.length, i -> storeIds[i] == 0 && pageRefs[i] != 0);
        if (pagedAt.length == 0) {
            return messages;
        }
        long[] refs = pick(pageRefs, pagedAt);
        try {
            WireMessage[] read;
            try {
                read = pageFile.read(refs);
            } catch (IllegalArgumentException gone) {
                read = oneByOne(refs); // a message left its queue (and its page was freed) while the batch was asked
            }
            return spread(read, pagedAt, messages);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The positions {@code 0..n-1} that {@code wanted} accepts, in order. */
    private static int[] indicesWhere(int n, IntPredicate wanted) {
        return IntStream.range(0, n).filter(wanted).toArray();
    }

    private static long[] pick(long[] values, int[] at) {
        long[] picked = new long[at.length];
        for (int k = 0; k < at.length; k++) {
            picked[k] = values[at[k]];
        }
        return picked;
    }

    /** Puts {@code part[k]} at {@code at[k]} of {@code into}; returns {@code into}. */
    private static WireMessage[] spread(WireMessage[] part, int[] at, WireMessage[] into) {
        for (int k = 0; k < at.length; k++) {
            into[at[k]] = part[k];
        }
        return into;
    }

    private WireMessage[] oneByOne(long[] refs) throws IOException {
        WireMessage[] read = new WireMessage[refs.length];
        for (int n = 0; n < refs.length; n++) {
            try {
                read[n] = pageFile.read(new long[] {refs[n]})[0];
            } catch (IllegalArgumentException freed) {
                read[n] = null;
            }
        }
        return read;
    }

    @Override
    public void free(long pageRef) {
        try {
            pageFile.free(pageRef);
        } catch (IllegalArgumentException e) {
            log.warn("page {} freed twice or never written: {}", pageRef, e.getMessage());
        }
    }

    /** Bytes the page file holds now. */
    public long bytesOnDisk() {
        return pageFile.bytesOnDisk();
    }

    /** Stops the pager thread and deletes the page file (what it held does not outlive the broker). */
    @Override
    public void close() {
        StoreThreads.shutdown(pager, 5_000);
        pageFile.close();
    }

    @Override
    public String toString() {
        return "paging to " + pageFile.directory() + " and " + store;
    }
}
