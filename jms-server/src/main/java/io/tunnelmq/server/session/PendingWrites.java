package io.tunnelmq.server.session;

import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.store.Failures;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * A session's sends and commits waiting for their store writes, in the order the client sent them. Each takes effect
 * (its messages become visible, its answer goes out) only when it is durable AND everything before it has taken
 * effect, so a session's messages stay in order even when persistent sends (waiting for the disk) and non-persistent
 * ones (nothing to wait for) are mixed. Store completions arrive on the store's thread and hop to the connection's
 * event loop (or are there already: an idle journal writes a persistent send on the loop that read it); everything
 * else here runs on that loop. While waiting, a message's bytes count against the broker's
 * memory, as they would in a queue.
 */
final class PendingWrites {

    private static final class Entry {
        final long bytes;
        final Runnable durable;
        final Consumer<Throwable> failed;
        boolean done;
        Throwable failure;

        Entry(long bytes, Runnable durable, Consumer<Throwable> failed) {
            this.bytes = bytes;
            this.durable = durable;
            this.failed = failed;
        }
    }

    private final FrameSink sink;
    private final MemoryTracker memory;
    /** Small at first (a default deque has 16 slots): most sessions never have more than a few writes waiting. */
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>(1);

    PendingWrites(FrameSink sink, MemoryTracker memory) {
        this.sink = sink;
        this.memory = memory;
    }

    /**
     * Runs {@code durable} once {@code write} succeeded and every earlier entry took effect, or {@code failed} with
     * the store's exception. With nothing waiting and the write already done, runs at once.
     *
     * @param bytes message bytes to count against the broker's memory while waiting
     */
    void submit(CompletableFuture<Void> write, long bytes, Runnable durable, Consumer<Throwable> failed) {
        Entry entry = new Entry(bytes, durable, failed);
        if (write.isDone()) {
            entry.done = true;
            entry.failure = failureOf(write);
            if (waiting.isEmpty()) {
                run(entry);
                return;
            }
        } else {
            write.whenComplete((v, e) -> sink.execute(() -> {
                entry.done = true;
                entry.failure = Failures.cause(e);
                drain();
            }));
        }
        memory.reserve(bytes);
        waiting.add(entry);
        drain();
    }

    /** How many sends and commits wait. */
    int size() {
        return waiting.size();
    }

    private void drain() {
        while (!waiting.isEmpty() && waiting.peek().done) {
            Entry entry = waiting.poll();
            memory.release(entry.bytes);
            run(entry);
        }
    }

    private static void run(Entry entry) {
        if (entry.failure == null) {
            entry.durable.run();
        } else {
            entry.failed.accept(entry.failure);
        }
    }

    private static Throwable failureOf(CompletableFuture<Void> write) {
        try {
            write.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause() != null ? e.getCause() : e;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
