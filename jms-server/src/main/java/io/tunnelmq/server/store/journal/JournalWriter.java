package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's one writer thread: appenders put encoded records in its {@link WriterInbox}; the writer takes
 * everything queued and writes it as one group ({@link GroupCommit}: one write, at most one fsync), then gives space
 * back ({@link SegmentReclaimer}). While it fsyncs, the next group queues up, so the more appenders wait, the more
 * records each fsync covers; a lone appender never waits for a batch window.
 *
 * <p>A durable append that finds the journal idle (nothing queued, nobody writing) is written and fsynced by its
 * appender, as the group of one the writer would have made of it, and its future is complete when {@code submit}
 * returns. The appender waits for that fsync anyway; a persistent send from a lone producer thus costs its event loop
 * the write and the fsync, but not two thread hand-overs (to the writer and back): measured on a 2-core machine, 100
 * to 150 µs of the 200 to 350 µs such a send spent beside its fsync. Lazy appends always go to the writer thread:
 * their callers wait for nothing and must not block. Whoever writes holds the {@link WriterTurn}; appends that arrive
 * meanwhile queue for the writer thread, which takes over when the appender is done, and the writer thread alone runs
 * tasks (reads, compaction's swap) and gives space back (an appender that wrote inline wakes it when there is some:
 * deleting a segment and starting a compaction are not for an event loop).
 */
final class JournalWriter {
    static final String THREAD_NAME = "tunnelmq-journal";
    /** A task with nothing of its own to do: the writer thread reclaims space after running tasks. */
    private static final WriterInbox.WriterTask RECLAIM = () -> { };
    private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);
    private static final int GROUP_BYTES = 4 << 20;

    private final JournalState state;
    private final SegmentReclaimer reclaimer;
    private final Thread thread;
    private final WriterInbox inbox;
    private final WriterTurn turn = new WriterTurn();
    private final GroupCommit groups;

    JournalWriter(JournalState state) {
        this.state = state;
        this.reclaimer = new SegmentReclaimer(state, this::onWriter);
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
        this.inbox = new WriterInbox(state.options.directory(), thread);
        this.groups = new GroupCommit(state, inbox, reclaimer, GROUP_BYTES);
    }

    /** Gives back what space the last run left to give back, then starts the thread; before any append. */
    void start() {
        reclaim();
        thread.start();
    }

    JournalStats stats() {
        return groups.stats();
    }

    SyncTimes syncTimes() {
        return groups.syncTimes();
    }

    /** Appends a record: a durable one is written by the calling thread when the journal is idle; else queued. */
    CompletableFuture<Void> submit(RecordFormat.EncodedRecord record, boolean durable) {
        if (durable && inbox.idle() && !onWriterThread() && turn.take()) {
            try {
                if (inbox.refusal() == null) {
                    return writeNow(record);
                }
            } finally {
                turn.give();
                if (!inbox.idle() || inbox.closing()) {
                    LockSupport.unpark(thread); // what queued (or a close) meanwhile found the turn taken
                }
            }
        }
        return inbox.append(record, durable);
    }

    /**
     * Writes and fsyncs one durable record on the calling thread, which holds the turn: the group of one the writer
     * would have made. Reclaiming space after it is left to the writer thread, woken only when there is some to
     * reclaim: deleting a segment fsyncs the directory and starting a compaction walks the live index, neither of
     * which an event loop should wait for.
     */
    private CompletableFuture<Void> writeNow(RecordFormat.EncodedRecord record) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        try {
            groups.commit(List.of(new WriterInbox.Pending(record, true, future)));
            if (!inbox.failed() && reclaimer.hasWork()) {
                onWriter(RECLAIM); // queued: the turn's giver wakes the writer thread, which reclaims after its tasks
            }
        } catch (RuntimeException | Error e) {
            // as on the writer thread: the journal fails, and no future is left waiting for a write that stopped
            groups.fail("writing a record on " + Thread.currentThread().getName() + " failed unexpectedly: " + e, e);
            future.completeExceptionally(inbox.refusal());
        }
        return future;
    }

    /** Whether the caller is the writer thread (which must never wait for its own tasks). */
    boolean onWriterThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code work} on the writer thread between groups. When appends are waiting, one task runs before their
     * group is written, so tasks (reads above all) delay a group commit by one task at most.
     */
    CompletableFuture<Void> onWriter(WriterInbox.WriterTask work) {
        return inbox.task(work);
    }

    /** Compacts every sealed segment, whatever the threshold; completes once the result is in place. */
    CompletableFuture<Void> compactNow() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onWriter(() -> reclaimer.compactAll(done)).whenComplete((ignored, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** Writes and fsyncs what is queued, then stops the thread. Idempotent. */
    void close() {
        inbox.close();
        if (Thread.currentThread() != thread) {
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (true) {
                if (!turn.take()) {
                    LockSupport.park(this); // an appender is writing; it wakes this thread when done if work queued
                    continue;
                }
                // read before draining: an append offered before the close is in the queue by then, so an empty
                // drain after a close is the end; read after it, an append could slip in between and be refused
                boolean closing = inbox.closing();
                boolean wrote;
                try {
                    wrote = takeTurn();
                } finally {
                    turn.give();
                }
                if (!wrote) {
                    if (closing) {
                        break;
                    }
                    LockSupport.park(this);
                }
            }
            turn.close();
            groups.syncAtClose();
            if (!inbox.failed()) {
                groups.trimCurrent();
            }
        } catch (RuntimeException | Error e) {
            groups.fail("the writer thread failed unexpectedly: " + e, e);
        } finally {
            inbox.writerStopped();
            turn.close();
            closeQuietly();
        }
    }

    /** Runs the tasks, then writes a group and reclaims space. @return whether there was a group to write */
    private boolean takeTurn() {
        runTasks();
        List<WriterInbox.Pending> group = inbox.drain(GROUP_BYTES);
        if (group.isEmpty()) {
            return false;
        }
        groups.commit(group);
        reclaim();
        return true;
    }

    private void reclaim() {
        if (!inbox.failed()) {
            reclaimer.reclaim();
            groups.publishStats();
        }
    }

    private void runTasks() {
        WriterInbox.Task task;
        boolean ran = false;
        while ((task = inbox.nextTask()) != null) {
            ran = true;
            if (inbox.failed()) {
                task.future().completeExceptionally(inbox.refusal());
                continue;
            }
            try {
                task.work().run();
                groups.publishStats();
                task.future().complete(null);
            } catch (IOException e) {
                groups.publishStats();
                task.future().completeExceptionally(new JournalException(e.getMessage(), e));
            }
            if (inbox.hasAppends()) {
                break; // appends are waiting: write their group first, the other tasks run after it
            }
        }
        if (ran) {
            reclaim(); // a compaction swapped in may have freed segments
        }
    }

    private void closeQuietly() {
        reclaimer.close();
        try {
            state.currentFile.close();
        } catch (IOException e) {
            log.debug("journal {}: closing {} failed: {}", state.options.directory(), state.current().path, e);
        }
        state.creator.close();
    }
}
