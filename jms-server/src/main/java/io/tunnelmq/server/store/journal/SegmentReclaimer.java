package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives disk space back after each group the writer thread writes (and, asked by an appender that wrote inline, see
 * {@link #hasWork}): deletes sealed segments nothing in which matters any more, and starts compacting the oldest
 * segments when few of their bytes are live. Used by the holder of the {@link WriterTurn}.
 */
final class SegmentReclaimer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SegmentReclaimer.class);

    private final JournalState state;
    private final Compactor compactor;
    /** After a failure, wait for the next roll before trying again rather than failing after every group. */
    private volatile boolean pausedUntilRoll;

    SegmentReclaimer(JournalState state, Function<WriterInbox.WriterTask, CompletableFuture<Void>> onWriter) {
        this.state = state;
        this.compactor = new Compactor(state, onWriter);
    }

    void rolled() {
        pausedUntilRoll = false;
    }

    /** Deletes what can go and compacts if the threshold says so. */
    void reclaim() {
        if (pausedUntilRoll) {
            return;
        }
        try {
            removeDeadSegments();
            List<Segment> range = dueCompaction();
            if (!range.isEmpty()) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                done.whenComplete((ignored, e) -> {
                    if (e != null) {
                        pausedUntilRoll = true; // the writer thread completes it
                        log.warn("journal {}: compaction failed, will try again after the next segment roll: {}",
                                state.options.directory(), e.toString());
                    }
                });
                compactor.start(range, done);
            }
        } catch (IOException e) {
            pausedUntilRoll = true;
            log.warn("journal {}: reclaiming space failed, will try again after the next segment roll: {}",
                    state.options.directory(), e.toString());
        }
    }

    /**
     * Whether {@link #reclaim} has something to do: a sealed segment to delete, or a compaction to start. Only looks
     * over the segment list (what {@code reclaim} would do costs a directory fsync or a walk of the live index), so an
     * appender writing inline can leave the work to the writer thread when there is some.
     */
    boolean hasWork() {
        if (pausedUntilRoll) {
            return false;
        }
        for (Segment segment : state.sealed()) {
            if (dead(segment)) {
                return true;
            }
        }
        return !dueCompaction().isEmpty();
    }

    /** A sealed segment nothing in which matters, and no compaction reads: it can be deleted. */
    private boolean dead(Segment segment) {
        return segment.nothingMatters() && !state.index.compacting().contains(segment);
    }

    /** The segments to compact now: none while compaction is off or running, or when the threshold says so. */
    private List<Segment> dueCompaction() {
        double threshold = state.options.compactionThreshold();
        return threshold > 0 && !compactor.running()
                ? compactionRange(threshold, state.options.compactionMinBytes()) : List.of();
    }

    /**
     * Starts compacting every sealed segment, whatever the threshold (tests and operators); {@code done} completes
     * when the result is in place.
     */
    void compactAll(CompletableFuture<Void> done) throws IOException {
        if (compactor.running()) {
            throw new IOException("a compaction is already running");
        }
        removeDeadSegments();
        List<Segment> sealed = new ArrayList<>(state.sealed());
        if (sealed.isEmpty()) {
            done.complete(null);
        } else {
            compactor.start(sealed, done);
        }
    }

    /** Writer thread, at close: stops a running compaction. */
    @Override
    public void close() {
        compactor.close();
    }

    /**
     * Removes sealed segments that hold nothing that matters. Each pass fsyncs the directory before releasing the
     * Deletes that only mattered because of the removed segments, so those are removed in a later pass, never in
     * an order a crash could turn into a resurrected record.
     */
    void removeDeadSegments() throws IOException {
        while (true) {
            List<Segment> dead = new ArrayList<>();
            for (Segment segment : state.sealed()) {
                if (dead(segment)) {
                    dead.add(segment);
                }
            }
            if (dead.isEmpty()) {
                return;
            }
            for (Segment segment : dead) {
                state.fs.delete(segment.path);
            }
            state.fs.syncDirectory(state.options.directory());
            for (Segment segment : dead) {
                state.segments.remove(segment);
                segment.releaseDependents();
                state.segmentsRemoved++;
                log.debug("journal {}: removed {}", state.options.directory(), segment);
            }
        }
    }

    /**
     * The longest run of oldest sealed segments whose live share is under the threshold, or none. The run stops at a
     * segment that lost a record within the quiet time ({@link JournalOptions#compactionQuietMillis()}): it is being
     * drained, and will go whole.
     */
    private List<Segment> compactionRange(double threshold, long minBytes) {
        List<Segment> sealed = state.sealed();
        long quietNanos = state.options.compactionQuietMillis() * 1_000_000;
        long now = System.nanoTime();
        long live = 0;
        long total = 0;
        int best = -1;
        for (int i = 0; i < sealed.size(); i++) {
            Segment segment = sealed.get(i);
            if (quietNanos > 0 && segment.lastDeathNanos != 0 && now - segment.lastDeathNanos < quietNanos) {
                break;
            }
            live += segment.liveBytes;
            total += segment.end - RecordFormat.SEGMENT_HEADER_BYTES;
            if (total > 0 && total >= minBytes && live < threshold * total) {
                best = i;
            }
        }
        return best < 0 ? List.of() : new ArrayList<>(sealed.subList(0, best + 1));
    }
}
