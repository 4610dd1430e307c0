package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only journal of records in segment files, with group commit, crash recovery and compaction. A record
 * is a list of {@link JournalOp}s applied atomically; recovery at {@link #open} hands back every live record (Add
 * data plus latest annotation) in the order the Adds were appended. See {@code package-info.java} for the file
 * layout and the guarantees.
 *
 * <p>Thread-safe: {@link #append} and {@link #appendLazily} may be called from any thread and never block or do
 * I/O there. The returned futures complete on the journal's writer thread ({@value JournalWriter#THREAD_NAME}):
 * callers should hop to their own executor rather than do slow work in the callbacks.
 */
public final class Journal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);

    private final JournalOptions options;
    private final JournalWriter writer;
    private final AutoCloseable lock;
    private boolean closed;

    private Journal(JournalOptions options, JournalWriter writer, AutoCloseable lock) {
        this.options = options;
        this.writer = writer;
        this.lock = lock;
    }

    /**
     * Opens the journal in {@code options.directory()} (creating the directory if missing) and recovers it: calls
     * {@code recovered} once per live record, in the order the records' Adds were first appended, before returning.
     * A torn last record (an interrupted write) is cut off with a WARN naming the file and offset. A record that
     * fails its checksum with complete records after it is corruption: logged at ERROR and thrown, never skipped.
     *
     * @throws JournalException if the directory cannot be created, read, written or locked (another journal has it
     *     open), or a segment is corrupt; the message names the file
     */
    public static Journal open(JournalOptions options, Consumer<RecoveredRecord> recovered) throws JournalException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(recovered, "recovered");
        JournalFileSystem fs = options.fileSystem();
        try {
            fs.createDirectories(options.directory());
        } catch (IOException e) {
            throw new JournalException("cannot create the journal directory " + options.directory() + ": " + e
                    + "; check the path and its permissions", e);
        }
        AutoCloseable lock;
        try {
            lock = fs.lock(options.directory().resolve(Recovery.LOCK_FILE));
        } catch (IOException e) {
            throw new JournalException("cannot lock the journal directory " + options.directory() + ": "
                    + e.getMessage() + "; is another broker using it, or is the directory not writable?", e);
        }
        SegmentCreator creator = new SegmentCreator(options);
        try {
            Recovery.Loaded loaded = Recovery.load(options);
            deliver(options, loaded.index(), recovered);
            SegmentCreator.Installed current = creator.create(loaded.nextSequence());
            List<Segment> segments = new ArrayList<>(loaded.segments());
            segments.add(current.segment());
            JournalState state = new JournalState(options, loaded.index(), segments, creator, current.file());
            creator.prepareAhead(loaded.nextSequence() + 1);
            JournalWriter writer = new JournalWriter(state);
            writer.start();
            log.info("journal {} open: {} live records in {} segments", options.directory(), loaded.index().size(),
                    segments.size());
            return new Journal(options, writer, lock);
        } catch (JournalException e) {
            abandon(creator, lock);
            throw e;
        } catch (IOException e) {
            abandon(creator, lock);
            throw new JournalException("cannot open the journal in " + options.directory() + ": " + e, e);
        } catch (RuntimeException | Error e) {
            abandon(creator, lock); // e.g. thrown by the recovered callback
            throw e;
        }
    }

    private static void abandon(SegmentCreator creator, AutoCloseable lock) {
        creator.close();
        closeQuietly(lock);
    }

    /** Reads each live record's data back, in Add order, and hands it over. */
    private static void deliver(JournalOptions options, LiveIndex index, Consumer<RecoveredRecord> recovered)
            throws IOException {
        Map<Segment, JournalFileSystem.JournalFile> files = new HashMap<>();
        try {
            for (LiveIndex.Entry entry : index.inAddOrder()) {
                JournalFileSystem.JournalFile file = files.get(entry.addSegment);
                if (file == null) {
                    file = options.fileSystem().open(entry.addSegment.path, false);
                    files.put(entry.addSegment, file);
                }
                byte[] data = new byte[entry.dataLength];
                if (file.read(ByteBuffer.wrap(data), entry.dataPosition) != data.length) {
                    throw new JournalException(entry.addSegment.path + " ended before the data of record "
                            + entry.id + " at offset " + entry.dataPosition);
                }
                recovered.accept(new RecoveredRecord(entry.id, data, entry.annotation));
            }
        } finally {
            for (JournalFileSystem.JournalFile file : files.values()) {
                file.close();
            }
        }
    }

    /**
     * Appends {@code ops} as ONE atomic record: after a crash either all of them are there or none. The future
     * completes once the record is durable (written and fsynced; one fsync covers every record appended while the
     * previous one ran), or exceptionally with a {@link JournalException} saying what failed. Annotates and Deletes
     * of records that are not live are ignored. An Add of an id that is live fails the append.
     *
     * @throws IllegalArgumentException if {@code ops} is empty
     */
    public CompletableFuture<Void> append(List<JournalOp> ops) {
        return submit(ops, true);
    }

    /**
     * Like {@link #append}, for records that need not be durable yet: the record rides along with the next group,
     * never causes or waits for an fsync of its own, and the future completes once it is written (in the operating
     * system's cache). It becomes durable with the next durable append, segment roll or {@link #close}.
     */
    public CompletableFuture<Void> appendLazily(List<JournalOp> ops) {
        return submit(ops, false);
    }

    private CompletableFuture<Void> submit(List<JournalOp> ops, boolean durable) {
        Objects.requireNonNull(ops, "ops");
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("a journal record needs at least one op");
        }
        for (JournalOp op : ops) {
            Objects.requireNonNull(op, "ops must not contain null");
        }
        int size = RecordFormat.encodedSize(ops);
        if (size > options.maxRecordBytes()) {
            return CompletableFuture.failedFuture(new JournalException("a record of " + size + " bytes is larger"
                    + " than the journal's maximum of " + options.maxRecordBytes() + " bytes (maxRecordBytes, at"
                    + " most the segment size minus its header)"));
        }
        return writer.submit(RecordFormat.encode(ops), durable);
    }

    /** How long its group-commit fsyncs took. */
    public SyncTimes.Snapshot syncTimes() {
        return writer.syncTimes().snapshot();
    }

    /** Current figures (as of the writer's last group). */
    public JournalStats stats() {
        return writer.stats();
    }

    /** Compacts every sealed segment now, whatever the threshold; completes when done. */
    CompletableFuture<Void> compactNow() {
        return writer.compactNow();
    }

    /**
     * Writes and fsyncs everything appended so far, stops the writer thread and releases the directory. Appends
     * after this fail. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        writer.close();
        closeQuietly(lock);
        log.info("journal {} closed", options.directory());
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("closing {} failed: {}", closeable, e.toString());
        }
    }
}
