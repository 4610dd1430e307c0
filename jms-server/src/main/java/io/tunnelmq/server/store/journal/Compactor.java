package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites the live records of the oldest segments (Add data and latest annotation, in Add order) into one new
 * segment that takes the sequence of the last of them and says in its header which sequences it covers. The copy
 * runs on its own daemon thread from a snapshot taken on the writer thread; only the swap runs on the writer, so
 * appends are held up for a rename and two directory fsyncs, not for the copy.
 *
 * <p>Crash safety, step by step: (1) write {@code journal-<last>.tmj.compact} and fsync it — a crash leaves a
 * temporary file that recovery deletes; (2) rename it over {@code journal-<last>.tmj} and fsync the directory —
 * from here recovery finds the new file and deletes the older inputs it covers if they are still there; (3) delete
 * the other inputs and fsync the directory. Only the oldest segments are compacted, so no Delete or Annotate in
 * them can refer to a record in an older segment, and the ones in later segments still apply after the swap. A
 * record deleted while the copy ran is in the new file, so the segment holding its Delete stays pinned by the new
 * file instead.
 */
final class Compactor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Compactor.class);
    private static final int BUFFER_BYTES = 1 << 20;

    private final JournalState state;
    /** Runs a task on the writer thread (the swap). */
    private final Function<WriterInbox.WriterTask, CompletableFuture<Void>> onWriter;
    private final ExecutorService copier = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tunnelmq-journal-compactor");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean cancelled;
    /** The running compaction's copy, or null. Writer thread only. */
    private CompletableFuture<Copied> copying;
    private Plan plan;

    Compactor(JournalState state, Function<WriterInbox.WriterTask, CompletableFuture<Void>> onWriter) {
        this.state = state;
        this.onWriter = onWriter;
    }

    /** A live record to copy, as it was when the compaction started. */
    private record Item(LiveIndex.Entry entry, Path from, long dataPosition, int dataLength, byte[] annotation) {
    }

    private record Plan(List<Segment> range, Set<Segment> inputs, Segment output, Path temporary, List<Item> items,
            long started) {
    }

    /** What the copy wrote: the new data position of each item, in order. */
    private record Copied(long end, long[] dataPositions) {
    }

    boolean running() {
        return copying != null;
    }

    /** Starts compacting {@code range}, the oldest sealed segments; {@code done} completes once it is swapped in. */
    void start(List<Segment> range, CompletableFuture<Void> done) {
        Segment last = range.get(range.size() - 1);
        Segment output = new Segment(state.options.directory(), last.sequence, range.get(0).coversFrom);
        Set<Segment> inputs = new HashSet<>(range);
        List<Item> items = new ArrayList<>();
        for (LiveIndex.Entry entry : state.index.inAddOrder()) {
            if (inputs.contains(entry.addSegment)) {
                items.add(new Item(entry, entry.addSegment.path, entry.dataPosition, entry.dataLength,
                        entry.annotation));
            }
        }
        Path temporary = state.options.directory().resolve(output.path.getFileName() + Recovery.COMPACTING_SUFFIX);
        Plan started = new Plan(List.copyOf(range), inputs, output, temporary, items, System.nanoTime());
        plan = started;
        state.index.startCompacting(inputs);
        copying = CompletableFuture.supplyAsync(() -> copy(started), copier);
        copying.whenComplete((copied, copyFailure) -> onWriter.apply(() -> finish(started, copied, copyFailure))
                .whenComplete((ignored, writerFailure) -> {
                    Throwable failure = copyFailure != null ? copyFailure : writerFailure;
                    if (failure == null) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(failure instanceof CompletionException ? failure.getCause()
                                : failure);
                    }
                }));
    }

    /** Writer thread: swaps the copy in, or cleans up after a failed one. */
    private void finish(Plan finished, Copied copied, Throwable copyFailure) throws IOException {
        if (plan != finished) {
            return; // closed meanwhile
        }
        plan = null;
        copying = null;
        Map<LiveIndex.Entry, Segment> died = state.index.stopCompacting();
        if (copyFailure != null) {
            deleteQuietly(finished.temporary());
            Throwable cause = copyFailure instanceof CompletionException ? copyFailure.getCause() : copyFailure;
            throw new IOException("compacting " + finished.range().size() + " segments into " + finished.temporary()
                    + " failed: " + cause.getMessage(), cause);
        }
        long swapStarted = System.nanoTime();
        try {
            state.fs.move(finished.temporary(), finished.output().path); // (2) the commit point
        } catch (IOException e) {
            deleteQuietly(finished.temporary());
            throw e;
        }
        boolean renameDurable = true;
        try {
            state.fs.syncDirectory(state.options.directory());
        } catch (IOException e) {
            // inputs stay on disk: if the rename did not reach the disk, they are the journal's only copy
            renameDurable = false;
            log.error("journal {}: fsync of the directory after compacting into {} failed ({}); keeping the input"
                    + " segments, the next open deletes them", state.options.directory(), finished.output().path,
                    e.toString());
        }
        swap(finished, copied, died);
        if (renameDurable) {
            deleteInputs(finished.range());
        }
        long pause = (System.nanoTime() - swapStarted) / 1_000_000;
        state.compactions++;
        state.longestCompactionMillis = Math.max(state.longestCompactionMillis, pause);
        log.info("journal {}: compacted {} segments into {} ({} records copied, {} bytes) in {} ms, appends held"
                + " for {} ms", state.options.directory(), finished.range().size(),
                finished.output().path.getFileName(), finished.items().size(), copied.end(),
                (System.nanoTime() - finished.started()) / 1_000_000, pause);
    }

    /** Compactor thread: (1) writes and fsyncs the temporary file. */
    private Copied copy(Plan plan) {
        long[] positions = new long[plan.items().size()];
        Map<Path, JournalFileSystem.JournalFile> readers = new HashMap<>();
        try (JournalFileSystem.JournalFile file = state.fs.open(plan.temporary(), true)) {
            file.truncate(0);
            file.write(RecordFormat.encodeHeader(new RecordFormat.SegmentHeader(plan.output().sequence,
                    plan.output().coversFrom)), 0);
            long position = RecordFormat.SEGMENT_HEADER_BYTES;
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
            long bufferStart = position;
            for (int i = 0; i < positions.length; i++) {
                if (cancelled) {
                    throw new IOException("the journal is closing");
                }
                Item item = plan.items().get(i);
                byte[] data = readData(readers, item);
                List<JournalOp> ops = item.annotation() == null ? List.of(new JournalOp.Add(item.entry().id, data))
                        : List.of(new JournalOp.Add(item.entry().id, data),
                                new JournalOp.Annotate(item.entry().id, item.annotation()));
                RecordFormat.EncodedRecord record = RecordFormat.encode(ops);
                if (buffer.remaining() < record.size()) {
                    bufferStart = flush(file, buffer, bufferStart);
                    if (buffer.capacity() < record.size()) {
                        buffer = ByteBuffer.allocate(record.size());
                    }
                }
                positions[i] = position + record.dataOffsets()[0];
                buffer.put(record.bytes());
                position += record.size();
            }
            flush(file, buffer, bufferStart);
            file.force();
            return new Copied(position, positions);
        } catch (IOException e) {
            throw new CompletionException(e);
        } finally {
            for (JournalFileSystem.JournalFile reader : readers.values()) {
                try {
                    reader.close();
                } catch (IOException e) {
                    log.debug("closing {} failed: {}", reader, e.toString());
                }
            }
        }
    }

    private byte[] readData(Map<Path, JournalFileSystem.JournalFile> readers, Item item) throws IOException {
        JournalFileSystem.JournalFile reader = readers.get(item.from());
        if (reader == null) {
            reader = state.fs.open(item.from(), false);
            readers.put(item.from(), reader);
        }
        byte[] data = new byte[item.dataLength()];
        if (reader.read(ByteBuffer.wrap(data), item.dataPosition()) != data.length) {
            throw new IOException(item.from() + " ended before the data of record " + item.entry().id + " at "
                    + item.dataPosition());
        }
        return data;
    }

    private static long flush(JournalFileSystem.JournalFile file, ByteBuffer buffer, long at) throws IOException {
        buffer.flip();
        int bytes = buffer.remaining();
        file.write(buffer, at);
        buffer.clear();
        return at + bytes;
    }

    private void swap(Plan plan, Copied copied, Map<LiveIndex.Entry, Segment> died) {
        Segment output = plan.output();
        output.end = copied.end();
        Map<Segment, Integer> stillPinning = new HashMap<>();
        for (int i = 0; i < plan.items().size(); i++) {
            LiveIndex.Entry entry = plan.items().get(i).entry();
            if (state.index.isLive(entry)) {
                entry.addSegment = output;
                entry.dataPosition = copied.dataPositions()[i];
                output.liveAdds++;
                output.liveBytes += LiveIndex.compactedSize(entry.dataLength);
                if (plan.inputs().contains(entry.annotationSegment)) {
                    entry.annotationSegment = output;
                    output.liveAnnotations++;
                }
            } else {
                // deleted while copied: its Add is in the new file, so its Delete must stay
                Segment deletedIn = died.get(entry);
                if (deletedIn != null) {
                    stillPinning.merge(deletedIn, 1, Integer::sum);
                }
            }
        }
        for (Segment input : plan.range()) {
            // the dead Adds they held are gone, so Deletes of them in later segments no longer matter
            input.releaseDependents();
        }
        stillPinning.forEach((segment, count) -> {
            segment.pins += count;
            output.dependents.merge(segment, count, Integer::sum);
        });
        state.segments.removeAll(plan.range());
        state.segments.add(0, output);
    }

    private void deleteInputs(List<Segment> range) {
        try {
            for (Segment input : range.subList(0, range.size() - 1)) {
                state.fs.delete(input.path);
            }
            state.fs.syncDirectory(state.options.directory()); // (3)
        } catch (IOException e) {
            log.warn("journal {}: could not delete compacted input segments ({}); the next open deletes them",
                    state.options.directory(), e.toString());
        }
    }

    private void deleteQuietly(Path file) {
        try {
            state.fs.delete(file);
        } catch (IOException e) {
            log.debug("journal {}: could not delete {}: {}", state.options.directory(), file, e.toString());
        }
    }

    /** Writer thread, at close: stops a running copy, waits for it and removes its file. */
    @Override
    public void close() {
        cancelled = true;
        CompletableFuture<Copied> running = copying;
        Plan unfinished = plan;
        plan = null;
        copying = null;
        if (running != null) {
            try {
                running.join();
            } catch (CompletionException e) {
                // cancelled or failed: either way nothing to swap
            }
            state.index.stopCompacting();
            deleteQuietly(unfinished.temporary());
        }
        copier.shutdown();
    }
}
