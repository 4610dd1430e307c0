package io.tunnelmq.server.store.pages;

import io.tunnelmq.server.BrokerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tunnelmq.server.store.pages.PageMessages.numbered;
import static org.assertj.core.api.Assertions.assertThat;

/** Writers, readers right behind them and freers at once, over small segments that roll and go all the time. */
@Timeout(60)
class PageFileConcurrencyTest {
    private static final int WRITERS = 4;
    private static final int READERS = 2;
    private static final int PER_WRITER = 1500;

    @TempDir
    Path temp;

    private static int size(long n) {
        return (int) (50 + n * 7919 % 3000);
    }

    @Test
    void everyMessageWrittenByConcurrentWritersIsReadBackIntactAndEverySegmentGoesWhenFreed() throws Exception {
        try (PageFile pages = PageFile.open(temp.resolve("pages"), 64 * 1024, 8 * 1024, PageChannel::onDisk)) {
            BlockingQueue<Long> written = new LinkedBlockingQueue<>();
            Map<Long, Long> numberOf = new ConcurrentHashMap<>();
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger verified = new AtomicInteger();
            int total = WRITERS * PER_WRITER;
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                long first = (long) w * PER_WRITER;
                threads.add(new Thread(() -> {
                    try {
                        for (long n = first; n < first + PER_WRITER; n++) {
                            long ref = pages.write(numbered(n, size(n)));
                            numberOf.put(ref, n);
                            written.add(ref);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "writer-" + w));
            }
            for (int r = 0; r < READERS; r++) {
                threads.add(new Thread(() -> {
                    try {
                        List<Long> batch = new ArrayList<>();
                        while (verified.get() < total && failures.isEmpty()) {
                            Long ref = written.poll(100, TimeUnit.MILLISECONDS);
                            if (ref == null) {
                                continue;
                            }
                            batch.clear();
                            batch.add(ref);
                            written.drainTo(batch, 63);
                            long[] refs = batch.stream().mapToLong(Long::longValue).toArray();
                            var messages = pages.read(refs);
                            for (int i = 0; i < refs.length; i++) {
                                long n = numberOf.get(refs[i]);
                                assertThat(messages[i]).isEqualTo(numbered(n, size(n)));
                                pages.free(refs[i]);
                                verified.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "reader-" + r));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failures).isEmpty();
            assertThat(verified.get()).isEqualTo(total);
            assertThat(numberOf.values()).doesNotHaveDuplicates().hasSize(total);
            assertThat(pages.segmentCount()).as("only the segment being written may stay").isLessThanOrEqualTo(1);
        }
    }

    @Test
    void closingWhileOthersWriteAndReadEndsTheirCallsWithAClearError() throws Exception {
        PageFile pages = PageFile.open(temp.resolve("pages"), 64 * 1024, 8 * 1024, PageChannel::onDisk);
        BlockingQueue<Long> written = new LinkedBlockingQueue<>();
        Queue<Throwable> endings = new ConcurrentLinkedQueue<>();
        AtomicInteger reads = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            threads.add(new Thread(() -> {
                try {
                    for (long n = 0; ; n++) {
                        written.add(pages.write(numbered(n, 1000)));
                    }
                } catch (Throwable e) {
                    endings.add(e);
                }
            }));
        }
        threads.add(new Thread(() -> {
            try {
                while (true) {
                    Long ref = written.take();
                    List<Long> batch = new ArrayList<>(List.of(ref));
                    written.drainTo(batch, 99);
                    pages.read(batch.stream().mapToLong(Long::longValue).toArray());
                    reads.incrementAndGet();
                }
            } catch (Throwable e) {
                endings.add(e);
            }
        }));
        threads.forEach(Thread::start);
        BrokerFixture.eventually("20 batches read", Duration.ofSeconds(30), () -> reads.get() >= 20);
        pages.close();
        written.add(1L << 32); // wakes the reader if it waits for a ref
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(endings).hasSize(3).allSatisfy(e -> assertThat(e).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("closed"));
        assertThat(temp.resolve("pages")).doesNotExist();
    }
}
