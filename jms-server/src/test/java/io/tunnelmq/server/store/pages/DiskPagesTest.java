package io.tunnelmq.server.store.pages;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.MemoryStore;
import io.tunnelmq.server.store.MessageStore;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoreVisitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Paging on disk: one batch mixes journal reads and page file reads, answered in order on the pager thread. */
@Timeout(10)
class DiskPagesTest {
    @TempDir
    Path dir;

    private DiskPages pages;

    /** A store that "holds" some messages and reads them back on a thread of its own, as the journal does. */
    private static final class Stored implements MessageStore {
        final Map<Long, WireMessage> messages = new HashMap<>();
        /** A read answers once this opens (a test that looks at the answering thread registers first). */
        final CountDownLatch answer;
        private final MessageStore nothing = new MemoryStore();

        Stored() {
            this(0);
        }

        /** @param closed 1: reads wait until {@link #answer} is counted down */
        Stored(int closed) {
            this.answer = new CountDownLatch(closed);
        }

        @Override
        public CompletableFuture<Void> write(List<StoreOp> ops) {
            return nothing.write(ops);
        }

        @Override
        public CompletableFuture<Void> writeLazily(List<StoreOp> ops) {
            return nothing.writeLazily(ops);
        }

        @Override
        public void recover(StoreVisitor visitor) {
        }

        @Override
        public String identity() {
            return "stored";
        }

        @Override
        public boolean persistent() {
            return true;
        }

        @Override
        public void close() {
        }

        @Override
        public CompletableFuture<WireMessage[]> read(long[] storeIds) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    answer.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                WireMessage[] out = new WireMessage[storeIds.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = messages.get(storeIds[i]);
                }
                return out;
            });
        }
    }

    @AfterEach
    void close() {
        if (pages != null) {
            pages.close();
        }
    }

    @Test
    void aMixedBatchComesBackInTheOrderAskedOnThePagerThread() throws Exception {
        Stored store = new Stored(1);
        store.messages.put(7L, PageMessages.numbered(7, 100));
        store.messages.put(9L, PageMessages.numbered(9, 100));
        pages = new DiskPages(store, PageFile.open(dir));
        long a = pages.write(PageMessages.numbered(1, 2_000));
        long b = pages.write(PageMessages.numbered(2, 2_000));

        AtomicReference<String> thread = new AtomicReference<>();
        CompletableFuture<WireMessage[]> reading = pages.read(new long[] {7, 0, 9, 0, 8}, new long[] {0, b, 0, a, 0})
                .whenComplete((r, e) -> thread.set(Thread.currentThread().getName()));
        store.answer.countDown(); // only now: a read done before whenComplete would have run it on this thread
        WireMessage[] read = reading.get();

        assertThat(read[0].messageId()).isEqualTo(PageMessages.numbered(7, 100).messageId());
        assertThat(read[1].messageId()).isEqualTo(PageMessages.numbered(2, 2_000).messageId());
        assertThat(read[2].messageId()).isEqualTo(PageMessages.numbered(9, 100).messageId());
        assertThat(read[3].messageId()).isEqualTo(PageMessages.numbered(1, 2_000).messageId());
        assertThat(read[4]).as("a store id the store does not hold").isNull();
        assertThat(thread.get()).isEqualTo(DiskPages.THREAD_NAME);
    }

    @Test
    void aBatchHoldingAFreedPageStillReadsTheOthers() throws Exception {
        pages = new DiskPages(new Stored(), PageFile.open(dir));
        long kept = pages.write(PageMessages.numbered(1, 500));
        long freed = pages.write(PageMessages.numbered(2, 500));
        pages.write(PageMessages.numbered(3, 500)); // keeps the segment alive
        pages.free(freed);
        pages.free(freed); // a second free is logged, not thrown at the queue that freed it

        WireMessage[] read = pages.read(new long[] {0, 0}, new long[] {freed, kept}).get();

        assertThat(read[1].messageId()).isEqualTo(PageMessages.numbered(1, 500).messageId());
    }

    @Test
    void closeDeletesThePageFile() throws IOException {
        pages = new DiskPages(new Stored(), PageFile.open(dir.resolve("pages")));
        pages.write(PageMessages.numbered(1, 500));
        assertThat(pages.bytesOnDisk()).isPositive();
        pages.close();
        pages = null;
        assertThat(dir.resolve("pages")).doesNotExist();
    }
}
