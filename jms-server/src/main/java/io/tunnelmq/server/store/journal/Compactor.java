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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites the live records of the oldest segments (Add data and latest annotation, in Add order) into one new
 * segment that takes the sequence of the last of them and says in its header which sequences it covers.
 *
 * <p>Crash safety, step by step: (1) write {@code journal-<last>.tmj.compact} and fsync it — a crash leaves a
 * temporary file that recovery deletes; (2) rename it over {@code journal-<last>.tmj} and fsync the directory —
 * from here recovery finds the new file and deletes the older inputs it covers if they are still there; (3) delete
 * the other inputs and fsync the directory. Only the oldest segments are compacted, so no Delete or Annotate in
 * them can refer to a record in an older segment, and the ones in later segments still apply after the swap.
 */
final class Compactor {
    private static final Logger log = LoggerFactory.getLogger(Compactor.class);
    private static final int BUFFER_BYTES = 1 << 20;

    private final JournalState state;

    Compactor(JournalState state) {
        this.state = state;
    }

    /** Compacts {@code range}, the oldest sealed segments. */
    void compact(List<Segment> range) throws IOException {
        long started = System.nanoTime();
        Segment last = range.get(range.size() - 1);
        Segment output = new Segment(state.options.directory(), last.sequence, range.get(0).coversFrom);
        Path temporary = state.options.directory().resolve(output.path.getFileName() + Recovery.COMPACTING_SUFFIX);
        Set<Segment> inputs = new HashSet<>(range);
        List<Moved> moved;
        try {
            moved = write(inputs, output, temporary);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new IOException("compacting " + range.size() + " segments into " + temporary + " failed: "
                    + e.getMessage(), e);
        }
        // (2) the commit point
        try {
            state.fs.move(temporary, output.path);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw e;
        }
        boolean renameDurable = true;
        try {
            state.fs.syncDirectory(state.options.directory());
        } catch (IOException e) {
            // inputs stay on disk: if the rename did not reach the disk, they are the journal's only copy
            renameDurable = false;
            log.error("journal {}: fsync of the directory after compacting into {} failed ({}); keeping the input"
                    + " segments, the next open deletes them", state.options.directory(), output.path, e.toString());
        }
        swap(range, inputs, output, moved);
        if (renameDurable) {
            deleteInputs(range);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        state.compactions++;
        state.longestCompactionMillis = Math.max(state.longestCompactionMillis, millis);
        log.info("journal {}: compacted {} segments into {} ({} live records, {} bytes) in {} ms",
                state.options.directory(), range.size(), output.path.getFileName(), moved.size(), output.end, millis);
    }

    /** A live record copied to the output and where its data now is. */
    private record Moved(LiveIndex.Entry entry, long dataPosition) {
    }

    private List<Moved> write(Set<Segment> inputs, Segment output, Path temporary) throws IOException {
        List<Moved> moved = new ArrayList<>();
        Map<Segment, JournalFileSystem.JournalFile> readers = new HashMap<>();
        try (JournalFileSystem.JournalFile file = state.fs.open(temporary, true)) {
            file.truncate(0);
            file.write(RecordFormat.encodeHeader(new RecordFormat.SegmentHeader(output.sequence, output.coversFrom)),
                    0);
            long position = RecordFormat.SEGMENT_HEADER_BYTES;
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
            long bufferStart = position;
            for (LiveIndex.Entry entry : state.index.inAddOrder()) {
                if (!inputs.contains(entry.addSegment)) {
                    continue;
                }
                byte[] data = readData(readers, entry);
                List<JournalOp> ops = entry.annotation == null ? List.of(new JournalOp.Add(entry.id, data))
                        : List.of(new JournalOp.Add(entry.id, data), new JournalOp.Annotate(entry.id, entry.annotation));
                RecordFormat.EncodedRecord record = RecordFormat.encode(ops);
                if (buffer.remaining() < record.size()) {
                    bufferStart = flush(file, buffer, bufferStart);
                    if (buffer.capacity() < record.size()) {
                        buffer = ByteBuffer.allocate(record.size());
                    }
                }
                moved.add(new Moved(entry, position + record.dataOffsets()[0]));
                buffer.put(record.bytes());
                position += record.size();
                output.liveAdds++;
                output.liveBytes += LiveIndex.compactedSize(entry.dataLength);
            }
            flush(file, buffer, bufferStart);
            file.force(); // (1)
            output.end = position;
        } finally {
            for (JournalFileSystem.JournalFile reader : readers.values()) {
                reader.close();
            }
        }
        return moved;
    }

    private byte[] readData(Map<Segment, JournalFileSystem.JournalFile> readers, LiveIndex.Entry entry)
            throws IOException {
        JournalFileSystem.JournalFile reader = readers.get(entry.addSegment);
        if (reader == null) {
            reader = state.fs.open(entry.addSegment.path, false);
            readers.put(entry.addSegment, reader);
        }
        byte[] data = new byte[entry.dataLength];
        if (reader.read(ByteBuffer.wrap(data), entry.dataPosition) != data.length) {
            throw new IOException(entry.addSegment.path + " ended before the data of record " + entry.id + " at "
                    + entry.dataPosition);
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

    private void swap(List<Segment> range, Set<Segment> inputs, Segment output, List<Moved> moved) {
        for (Moved m : moved) {
            LiveIndex.Entry entry = m.entry();
            entry.addSegment = output;
            entry.dataPosition = m.dataPosition();
            if (inputs.contains(entry.annotationSegment)) {
                entry.annotationSegment = output;
                output.liveAnnotations++;
            }
        }
        for (Segment input : range) {
            // the dead Adds they held are gone, so Deletes of them in later segments no longer matter
            input.releaseDependents();
        }
        state.segments.removeAll(range);
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
}
