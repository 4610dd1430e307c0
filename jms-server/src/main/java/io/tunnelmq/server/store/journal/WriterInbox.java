package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * What waits for the journal's writer thread: appends and writer tasks, each on a lock-free queue, and whether the
 * journal still takes them. Every offer wakes the writer. Once the journal failed, is closing, or its writer stopped,
 * an offer is refused at once with the reason, and whatever was still queued is failed the same way, so no future is
 * left waiting for a writer that will not come. Offers come from any thread; {@link JournalWriter} takes.
 */
final class WriterInbox {
    /** An append waiting for the writer. */
    record Pending(RecordFormat.EncodedRecord record, boolean durable, CompletableFuture<Void> future) {
    }

    /** Work the writer runs between groups (it owns the state). */
    interface WriterTask {
        void run() throws IOException;
    }

    /** A writer task waiting for the writer. */
    record Task(WriterTask work, CompletableFuture<Void> future) {
    }

    private final Path directory;
    private final Queue<Pending> appends = new ConcurrentLinkedQueue<>();
    private final Queue<Task> tasks = new ConcurrentLinkedQueue<>();
    private final Thread writer;
    private volatile boolean closing;
    private volatile boolean stopped;
    private volatile JournalException failure;

    /** The inbox of the journal in {@code directory}, whose writer is {@code writer} (not started yet). */
    WriterInbox(Path directory, Thread writer) {
        this.directory = directory;
        this.writer = writer;
    }

    /** Queues an append; the future fails at once if the journal takes none. Any thread. */
    CompletableFuture<Void> append(RecordFormat.EncodedRecord record, boolean durable) {
        return offer(appends, future -> new Pending(record, durable, future));
    }

    /** Queues a task for the writer; the future fails at once if the journal takes none. Any thread. */
    CompletableFuture<Void> task(WriterTask work) {
        return offer(tasks, future -> new Task(work, future));
    }

    private <T> CompletableFuture<Void> offer(Queue<T> queue, Function<CompletableFuture<Void>, T> entry) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        JournalException refused = refusal();
        if (refused != null) {
            future.completeExceptionally(refused);
            return future;
        }
        queue.offer(entry.apply(future));
        if (stopped) {
            failQueued(); // the writer may have drained for the last time before this offer
        } else {
            LockSupport.unpark(writer);
        }
        return future;
    }

    /** The appends queued, oldest first, up to {@code maxBytes} together but at least one. Writer thread. */
    List<Pending> drain(int maxBytes) {
        List<Pending> group = new ArrayList<>();
        long bytes = 0;
        Pending next;
        while ((next = appends.peek()) != null) {
            if (!group.isEmpty() && bytes + next.record().size() > maxBytes) {
                break;
            }
            appends.poll();
            group.add(next);
            bytes += next.record().size();
        }
        return group;
    }

    boolean hasAppends() {
        return !appends.isEmpty();
    }

    /** Whether nothing waits for the writer: no append, no task. Any thread. */
    boolean idle() {
        return appends.isEmpty() && tasks.isEmpty();
    }

    /** The oldest task queued, or null. Writer thread. */
    Task nextTask() {
        return tasks.poll();
    }

    /** From now on nothing is taken; the writer writes what is queued and stops. */
    void close() {
        closing = true;
        LockSupport.unpark(writer);
    }

    boolean closing() {
        return closing;
    }

    /** The writer thread has ended: everything queued and offered from now on fails. */
    void writerStopped() {
        stopped = true;
        failQueued();
    }

    /**
     * Enters the failed state (the first failure stays) and fails everything queued.
     *
     * @return whether this call made the journal fail
     */
    boolean fail(JournalException cause) {
        boolean first = failure == null;
        if (first) {
            failure = cause;
        }
        failQueued();
        return first;
    }

    /** Whether the journal has failed. */
    boolean failed() {
        return failure != null;
    }

    /** Why an offer is refused now, or null when the journal takes them. */
    JournalException refusal() {
        JournalException failed = failure;
        if (failed != null) {
            return new JournalException(failed.getMessage(), failed);
        }
        if (closing || stopped) {
            return new JournalException("journal " + directory + " is closed; open it again to append");
        }
        return null;
    }

    private void failQueued() {
        JournalException refused = refusal();
        Pending pending;
        while ((pending = appends.poll()) != null) {
            pending.future().completeExceptionally(refused);
        }
        Task task;
        while ((task = tasks.poll()) != null) {
            task.future().completeExceptionally(refused);
        }
    }
}
