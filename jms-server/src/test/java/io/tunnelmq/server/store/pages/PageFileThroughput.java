package io.tunnelmq.server.store.pages;

import io.tunnelmq.protocol.message.WireMessage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Measures the page file: one writer filling it with N messages, then a reader draining them in write order in
 * batches (freeing as it goes), then a writer and a reader at once (a paged queue with a producer and a consumer).
 * The reads come from the OS page cache when the data fits in memory. Run: {@code java -cp
 * jms-server/target/classes:jms-server/target/test-classes:<jms-protocol classes, netty-buffer, netty-common,
 * slf4j-api jars> io.tunnelmq.server.store.pages.PageFileThroughput [directory] [megabytes per run]}.
 */
public final class PageFileThroughput {
    private static final int BATCH = 1000;

    private PageFileThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path base = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("page-throughput");
        long megabytes = args.length > 1 ? Long.parseLong(args[1]) : 512;
        run(base, 1024, 200_000); // warm-up: let the JIT compile the write and read paths
        for (int size : new int[] {1024, 8192}) {
            run(base, size, (int) (megabytes * 1024 * 1024 / size));
        }
        Files.deleteIfExists(base);
    }

    private static void run(Path directory, int bodyBytes, int count) throws Exception {
        WireMessage[] messages = new WireMessage[1024];
        for (int i = 0; i < messages.length; i++) {
            messages[i] = PageMessages.numbered(i, bodyBytes);
        }
        try (PageFile pages = PageFile.open(directory)) {
            long[] refs = new long[count];
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                refs[i] = pages.write(messages[i % messages.length]);
            }
            double writeSeconds = (System.nanoTime() - started) / 1e9;
            long bytes = pages.bytesOnDisk();

            started = System.nanoTime();
            for (int from = 0; from < count; from += BATCH) {
                long[] batch = java.util.Arrays.copyOfRange(refs, from, Math.min(count, from + BATCH));
                WireMessage[] read = pages.read(batch);
                if (!read[0].equals(messages[from % messages.length])) {
                    throw new AssertionError("message " + from + " came back different");
                }
                for (long ref : batch) {
                    pages.free(ref);
                }
            }
            double readSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("%5d B bodies, %,d messages (%,d MB on disk): write %,.0f msg/s (%,.0f MB/s),"
                            + " read+free in batches of %d %,.0f msg/s (%,.0f MB/s); %d segment(s) left%n",
                    bodyBytes, count, bytes >> 20, count / writeSeconds, bytes / writeSeconds / (1 << 20), BATCH,
                    count / readSeconds, bytes / readSeconds / (1 << 20), pages.segmentCount());
            both(pages, messages, count);
        }
    }

    /** A writer and a reader at once, the reader following the writer through a bounded hand-off. */
    private static void both(PageFile pages, WireMessage[] messages, int count) throws Exception {
        BlockingQueue<long[]> handOff = new ArrayBlockingQueue<>(10_000);
        Thread writer = new Thread(() -> {
            try {
                long[] batch = new long[BATCH];
                int filled = 0;
                for (int i = 0; i < count; i++) {
                    batch[filled++] = pages.write(messages[i % messages.length]);
                    if (filled == BATCH || i == count - 1) {
                        handOff.put(java.util.Arrays.copyOf(batch, filled));
                        filled = 0;
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long started = System.nanoTime();
        writer.start();
        int read = 0;
        while (read < count) {
            long[] batch = handOff.poll(60, TimeUnit.SECONDS);
            if (batch == null) {
                throw new AssertionError("the writer stalled");
            }
            pages.read(batch);
            for (long ref : batch) {
                pages.free(ref);
            }
            read += batch.length;
        }
        writer.join();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("        writer and reader at once: %,.0f msg/s through%n", count / seconds);
    }
}
