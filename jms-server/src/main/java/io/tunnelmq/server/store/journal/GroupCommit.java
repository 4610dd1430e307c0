package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a group of appends gets onto disk: one positional write per segment it covers, one fsync if any of its records
 * asked for durability, a roll to a new segment when the current one is full, and what a failure of each step does
 * to the group and to the journal. Called by whoever holds the {@link WriterTurn} (the writer thread, or an appender
 * writing its own record), one at a time; everything here is guarded by the turn, except {@link #stats}, which is
 * published for any thread.
 */
final class GroupCommit {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final JournalState state;
    private final WriterInbox inbox;
    private final SegmentReclaimer reclaimer;
    private final SyncTimes syncTimes = new SyncTimes();
    private ByteBuffer buffer;
    private volatile JournalStats stats;
    /** Records written since the last fsync (lazy appends). */
    private boolean unsynced;

    GroupCommit(JournalState state, WriterInbox inbox, SegmentReclaimer reclaimer, int groupBytes) {
        this.state = state;
        this.inbox = inbox;
        this.reclaimer = reclaimer;
        this.buffer = ByteBuffer.allocateDirect(groupBytes);
        this.stats = state.stats();
    }

    JournalStats stats() {
        return stats;
    }

    SyncTimes syncTimes() {
        return syncTimes;
    }

    /** At close: fsyncs what lazy appends left unsynced, unless the journal failed. */
    void syncAtClose() {
        if (unsynced && !inbox.failed()) {
            sync(List.of());
        }
    }

    /**
     * Writes {@code group} in order and settles each future: complete once written (lazy) or once fsynced (durable),
     * failed with the reason otherwise. A record its ops make invalid (an Add of a live id) fails alone.
     */
    void commit(List<WriterInbox.Pending> group) {
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
    void trimCurrent() {
        try {
            state.currentFile.truncate(state.current().end);
        } catch (IOException e) {
            log.debug("journal {}: could not trim {}: {}", state.options.directory(), state.current().path, e);
        }
    }

    /** Enters the failed state: nothing more is written and every append fails fast. */
    void fail(String what, Throwable cause) {
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

    void publishStats() {
        stats = state.stats();
    }
}
