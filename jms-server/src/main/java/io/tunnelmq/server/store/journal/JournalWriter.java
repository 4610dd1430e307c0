package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's one writer thread and its group commit: appenders put encoded records in its {@link WriterInbox}; the
 * writer takes everything queued, writes it with one positional write per segment, fsyncs once if any record of
 * the group asked for durability, then completes the futures. While it fsyncs, the next group queues up, so the
 * more appenders wait, the more records each fsync covers; a lone appender never waits for a batch window.
 */
final class JournalWriter {
    static final String THREAD_NAME = "tunnelmq-journal";
    private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);
    private static final int GROUP_BYTES = 4 << 20;

    private final JournalState state;
    private final SegmentReclaimer reclaimer;
    private final Thread thread;
    private final WriterInbox inbox;
    private volatile JournalStats stats;
    private final SyncTimes syncTimes = new SyncTimes();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(GROUP_BYTES);
    /** Records written since the last fsync (lazy appends). */
    private boolean unsynced;

    JournalWriter(JournalState state) {
        this.state = state;
        this.reclaimer = new SegmentReclaimer(state, this::onWriter);
        this.stats = state.stats();
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
        this.inbox = new WriterInbox(state.options.directory(), thread);
    }

    void start() {
        thread.start();
    }

    JournalStats stats() {
        return stats;
    }

    SyncTimes syncTimes() {
        return syncTimes;
    }

    CompletableFuture<Void> submit(RecordFormat.EncodedRecord record, boolean durable) {
        return inbox.append(record, durable);
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
            reclaim();
            while (true) {
                runTasks();
                List<WriterInbox.Pending> group = inbox.drain(GROUP_BYTES);
                if (group.isEmpty()) {
                    if (inbox.closing()) {
                        break;
                    }
                    LockSupport.park(this);
                    continue;
                }
                commit(group);
                reclaim();
            }
            if (unsynced && !inbox.failed()) {
                sync(List.of());
            }
            if (!inbox.failed()) {
                trimCurrent();
            }
        } catch (RuntimeException | Error e) {
            fail("the writer thread failed unexpectedly: " + e, e);
        } finally {
            inbox.writerStopped();
            closeQuietly();
        }
    }

    private void commit(List<WriterInbox.Pending> group) {
        if (inbox.failed()) {
            failAll(group, inbox.refusal());
            return;
        }
        Map<Long, Boolean> overlay = new HashMap<>();
        List<WriterInbox.Pending> awaitingSync = new ArrayList<>();
        int i = 0;
        while (i < group.size()) {
            Segment current = state.current();
            long start = current.end;
            buffer.clear();
            List<WriterInbox.Pending> chunk = new ArrayList<>();
            boolean roll = false;
            for (; i < group.size(); i++) {
                WriterInbox.Pending pending = group.get(i);
                int size = pending.record().size();
                if (start + buffer.position() + size > state.options.segmentBytes()
                        && start + buffer.position() > RecordFormat.SEGMENT_HEADER_BYTES) {
                    roll = true;
                    break;
                }
                String refused = AppendRules.refusal(pending.record().ops(), overlay, state.index);
                if (refused != null) {
                    pending.future().completeExceptionally(new JournalException(refused));
                    continue;
                }
                room(size);
                buffer.put(pending.record().bytes());
                chunk.add(pending);
            }
            if (!chunk.isEmpty() && !write(current, start, chunk, group.subList(i, group.size()), awaitingSync)) {
                return;
            }
            if (roll && !roll(awaitingSync, group.subList(i, group.size()))) {
                return;
            }
            if (!roll) {
                break;
            }
            awaitingSync.clear();
        }
        if (!awaitingSync.isEmpty() && sync(awaitingSync)) {
            completeAll(awaitingSync);
        }
    }

    private void room(int size) {
        if (buffer.remaining() < size) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, buffer.position() + size));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }

    /** Writes a chunk into the current segment; on failure truncates back and fails the chunk and the rest. */
    private boolean write(Segment current, long start, List<WriterInbox.Pending> chunk, List<WriterInbox.Pending> rest,
            List<WriterInbox.Pending> awaitingSync) {
        buffer.flip();
        int bytes = buffer.remaining();
        try {
            state.currentFile.write(buffer, start);
        } catch (IOException e) {
            writeFailed(e, current, start, bytes, chunk, rest);
            return false;
        }
        long position = start;
        for (WriterInbox.Pending pending : chunk) {
            state.index.apply(current, position, pending.record().ops(), pending.record().dataOffsets());
            position += pending.record().size();
        }
        current.end = position;
        state.recordsAppended += chunk.size();
        state.bytesWritten += bytes;
        unsynced = true;
        publishStats();
        for (WriterInbox.Pending pending : chunk) {
            if (pending.durable()) {
                awaitingSync.add(pending);
            } else {
                pending.future().complete(null);
            }
        }
        return true;
    }

    private void writeFailed(IOException e, Segment current, long start, int bytes, List<WriterInbox.Pending> chunk,
            List<WriterInbox.Pending> rest) {
        try {
            state.currentFile.truncate(start);
            state.currentFile.force();
            state.syncs++;
            unsynced = false;
        } catch (IOException truncateFailure) {
            e.addSuppressed(truncateFailure);
            fail("writing " + bytes + " bytes to " + current.path + " at offset " + start + " failed (" + e
                    + ") and cutting the file back to " + start + " failed too (" + truncateFailure + ")", e);
            failAll(chunk, inbox.refusal());
            failAll(rest, inbox.refusal());
            return;
        }
        JournalException failed = new JournalException("writing " + chunk.size() + " journal records (" + bytes
                + " bytes) to " + current.path + " at offset " + start + " failed: " + e.getMessage() + ". None"
                + " of them was stored; the journal cut the file back and accepts new appends (if the disk is full,"
                + " free space)", e);
        log.warn(failed.getMessage());
        failAll(chunk, failed);
        failAll(rest, failed);
    }

    /**
     * Seals the current segment (fsynced before a newer one exists, so a torn record can only ever be in the last
     * segment) and continues in a new one.
     */
    private boolean roll(List<WriterInbox.Pending> awaitingSync, List<WriterInbox.Pending> rest) {
        Segment old = state.current();
        if (unsynced && !sync(awaitingSync)) {
            failAll(rest, inbox.refusal());
            return false;
        }
        completeAll(awaitingSync);
        SegmentCreator.Installed next;
        try {
            next = state.creator.create(old.sequence + 1);
        } catch (IOException e) {
            JournalException failed = new JournalException("cannot start journal segment " + (old.sequence + 1)
                    + " after " + old.path + " filled up: " + e.getMessage() + ". The records were not stored; the"
                    + " journal tries again with the next append (if the disk is full, free space)", e);
            log.warn(failed.getMessage());
            failAll(rest, failed);
            return false;
        }
        JournalFileSystem.JournalFile oldFile = state.currentFile;
        state.segments.add(next.segment());
        state.currentFile = next.file();
        try (oldFile) {
            oldFile.truncate(old.end); // give the unused preallocated room back; zeros there would be harmless
        } catch (IOException e) {
            log.debug("journal {}: could not trim {}: {}", state.options.directory(), old.path, e.toString());
        }
        state.creator.prepareAhead(next.segment().sequence + 1);
        reclaimer.rolled();
        publishStats();
        return true;
    }

    /** fsyncs the current segment; a failure is fatal and fails {@code awaiting}. */
    private boolean sync(List<WriterInbox.Pending> awaiting) {
        try {
            long start = System.nanoTime();
            state.currentFile.force();
            syncTimes.record(System.nanoTime() - start);
        } catch (IOException e) {
            fail("fsync of " + state.current().path + " failed: " + e.getMessage(), e);
            failAll(awaiting, inbox.refusal());
            return false;
        }
        state.syncs++;
        unsynced = false;
        publishStats();
        return true;
    }

    /** At close: cuts the zero-filled room off the current segment, so the next open has no tail to check. */
    private void trimCurrent() {
        try {
            state.currentFile.truncate(state.current().end);
        } catch (IOException e) {
            log.debug("journal {}: could not trim {}: {}", state.options.directory(), state.current().path, e);
        }
    }

    private void reclaim() {
        if (!inbox.failed()) {
            reclaimer.reclaim();
            publishStats();
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
                publishStats();
                task.future().complete(null);
            } catch (IOException e) {
                publishStats();
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

    /** Enters the failed state: nothing more is written and every append fails fast. */
    private void fail(String what, Throwable cause) {
        JournalException failed = new JournalException("journal " + state.options.directory() + " has failed: "
                + what + ". It refuses appends from now on; restart to recover every record that was made durable",
                cause);
        if (inbox.fail(failed)) {
            log.error(failed.getMessage(), cause);
        }
    }

    private static void failAll(List<WriterInbox.Pending> pendings, JournalException e) {
        for (WriterInbox.Pending pending : pendings) {
            pending.future().completeExceptionally(e);
        }
    }

    private static void completeAll(List<WriterInbox.Pending> pendings) {
        for (WriterInbox.Pending pending : pendings) {
            pending.future().complete(null);
        }
    }

    private void publishStats() {
        stats = state.stats();
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
