package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.pages.PagedMessages;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Paging for engine tests: "disk" is two maps (the store's messages by id, the page file's by reference), and reads
 * complete on a thread of their own, as the real ones do.
 */
final class MemoryPages implements PagedMessages, AutoCloseable {
    final Map<Long, WireMessage> stored = new ConcurrentHashMap<>();
    final Map<Long, WireMessage> pages = new ConcurrentHashMap<>();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger largestRead = new AtomicInteger();
    private final AtomicLong nextRef = new AtomicLong();
    private final ExecutorService reader = Executors.newSingleThreadExecutor();

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public long write(WireMessage message) {
        long ref = nextRef.incrementAndGet();
        pages.put(ref, message);
        return ref;
    }

    @Override
    public CompletableFuture<WireMessage[]> read(long[] storeIds, long[] pageRefs) {
        reads.incrementAndGet();
        largestRead.accumulateAndGet(storeIds.length, Math::max);
        return CompletableFuture.supplyAsync(() -> {
            WireMessage[] out = new WireMessage[storeIds.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = storeIds[i] != 0 ? stored.get(storeIds[i]) : pages.get(pageRefs[i]);
            }
            return out;
        }, reader);
    }

    @Override
    public void free(long pageRef) {
        if (pages.remove(pageRef) == null) {
            throw new AssertionError("page " + pageRef + " freed twice or never written");
        }
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }
}
