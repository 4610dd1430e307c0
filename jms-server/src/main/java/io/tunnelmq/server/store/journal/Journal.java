package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only journal of records in segment files, with group commit, crash recovery and compaction. A record
 * is a list of {@link JournalOp}s applied atomically. {@link #open} rebuilds the index of live records (where each
 * one's data is, its latest annotation) without keeping their data; {@link #replay} then hands the records back in
 * the order the Adds were appended, a batch at a time, and {@link #read} reads chosen records back by id. See
 * {@code package-info.java} for the file layout and the guarantees.
 *
 * <p>Thread-safe: {@link #append}, {@link #appendLazily} and {@link #read} may be called from any thread.
 * {@link #appendLazily} and {@link #read} never block or do I/O there. {@link #append} does when the journal is idle
 * (nothing queued, nobody writing): it writes and fsyncs the record on the calling thread, which waits for that
 * fsync anyway, and returns a completed future. Other futures complete on the journal's writer thread
 * ({@value JournalWriter#THREAD_NAME}): callers should hop to their own executor rather than do slow work in the
 * callbacks.
 */
public final class Journal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);

    private final JournalOptions options;
    private final JournalState state;
    private final JournalWriter writer;
    private final AutoCloseable lock;
    /** What {@link #replay} hands over, until it is called. */
    private Replay replay;
    private boolean closed;

    private Journal(JournalOptions options, JournalState state, JournalWriter writer, AutoCloseable lock,
            Replay replay) {
        this.options = options;
        this.state = state;
        this.writer = writer;
        this.lock = lock;
        this.replay = replay;
    }

    /**
     * Opens the journal in {@code options.directory()} (creating the directory if missing) and recovers its index:
     * every segment is read and verified, but only where each live record's data is stays in memory; call
     * {@link #replay} to have the records handed back (until then the journal keeps a reference to each record live
     * at open). A torn last record (an interrupted write) is cut off with a
     * WARN naming the file and offset. A record that fails its checksum with complete records after it is corruption:
     * logged at ERROR and thrown, never skipped (unless the options ask to {@linkplain JournalOptions#salvage()
     * salvage}).
     *
     * @throws JournalException if the directory cannot be created, read, written or locked (another journal has it
     *     open), or a segment is corrupt; the message names the file
     */
    public static Journal open(JournalOptions options) throws JournalException {
        Objects.requireNonNull(options, "options");
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
            SegmentCreator.Installed current = creator.create(loaded.nextSequence());
            List<Segment> segments = new ArrayList<>(loaded.segments());
            segments.add(current.segment());
            JournalState state = new JournalState(options, loaded.index(), segments, creator, current.file());
            // taken before the writer owns the index: the records to hand back are those live now
            Replay replay = new Replay(state, new ArrayList<>(loaded.index().inAddOrder()));
            creator.prepareAhead(loaded.nextSequence() + 1);
            JournalWriter writer = new JournalWriter(state);
            writer.start();
            log.info("journal {} open: {} live records in {} segments", options.directory(), loaded.index().size(),
                    segments.size());
            return new Journal(options, state, writer, lock, replay);
        } catch (JournalException e) {
            abandon(creator, lock);
            throw e;
        } catch (IOException e) {
            abandon(creator, lock);
            throw new JournalException("cannot open the journal in " + options.directory() + ": " + e, e);
        } catch (RuntimeException | Error e) {
            abandon(creator, lock);
            throw e;
        }
    }

    /**
     * Opens the journal ({@link #open(JournalOptions)}) and {@linkplain #replay replays} it into {@code recovered}
     * before returning; if that throws, the journal is closed again and the exception propagates.
     */
    public static Journal open(JournalOptions options, Consumer<RecoveredRecord> recovered) throws JournalException {
        Objects.requireNonNull(recovered, "recovered");
        Journal journal = open(options);
        try {
            journal.replay(recovered);
        } catch (JournalException | RuntimeException | Error e) {
            journal.close();
            throw e;
        }
        return journal;
    }

    private static void abandon(SegmentCreator creator, AutoCloseable lock) {
        creator.close();
        closeQuietly(lock);
    }

    /**
     * Hands every record that was live when the journal opened (Add data plus latest annotation) to {@code recovered},
     * in the order the Adds were first appended, on the calling thread, and returns when all were handed over. The
     * data is read a batch at a time on the writer thread (the next batch while the consumer takes the current one),
     * so memory holds the index and two batches, never the whole journal. {@code recovered} may append to this
     * journal, and even wait for those appends. A record deleted before its batch is read is not handed over. At
     * most once per open; if {@code recovered} throws, the replay ends there and the exception propagates.
     *
     * @throws JournalException if reading fails (the message names the file) or the journal is closed meanwhile
     * @throws IllegalStateException if called again, or from a callback on the writer thread (it would wait for
     *     itself)
     */
    public void replay(Consumer<RecoveredRecord> recovered) throws JournalException {
        Objects.requireNonNull(recovered, "recovered");
        if (writer.onWriterThread()) {
            throw new IllegalStateException("Journal.replay was called on the journal's writer thread, which reads"
                    + " the records: it would wait for itself; call it from another thread");
        }
        Replay records;
        synchronized (this) {
            records = replay;
            replay = null;
        }
        if (records == null) {
            throw new IllegalStateException("the journal in " + options.directory() + " was already replayed; its"
                    + " records are handed back once per open");
        }
        long start = System.nanoTime();
        long count = 0;
        boolean finished = false;
        try {
            CompletableFuture<List<RecoveredRecord>> next = nextBatch(records);
            while (true) {
                List<RecoveredRecord> batch = await(next);
                if (batch.isEmpty()) {
                    break;
                }
                next = nextBatch(records); // read ahead while this batch is handed over
                for (RecoveredRecord record : batch) {
                    recovered.accept(record);
                }
                count += batch.size();
            }
            finished = true;
        } finally {
            if (!finished) {
                writer.onWriter(records::abandon);
            }
        }
        log.debug("journal {}: replayed {} records in {} ms", options.directory(), count,
                (System.nanoTime() - start) / 1_000_000);
    }

    private CompletableFuture<List<RecoveredRecord>> nextBatch(Replay records) {
        CompletableFuture<List<RecoveredRecord>> batch = new CompletableFuture<>();
        writer.onWriter(() -> batch.complete(records.nextBatch())).whenComplete((ignored, e) -> {
            if (e != null) {
                batch.completeExceptionally(e);
            }
        });
        return batch;
    }

    private <T> T await(CompletableFuture<T> future) throws JournalException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JournalException("interrupted while replaying the journal in " + options.directory(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JournalException je) {
                throw new JournalException(je.getMessage(), je);
            }
            throw new JournalException("replaying the journal in " + options.directory() + " failed: " + cause,
                    cause);
        }
    }

    /**
     * Reads records back by id: the data of each id's live record (the data of its Add), in the order asked, null
     * where the id is not live (deleted, or never added). Ask only for ids whose {@link #append} or
     * {@link #appendLazily} future has completed: a record still queued for the writer is not in the index yet and
     * reads as null. The lookup and the reads run on the writer thread between groups (it owns the index and decides
     * when segment files are compacted or deleted), in segment and position order, in slices of a few hundred ids and
     * a few MiB so appends waiting meanwhile are held up little; ask for a few hundred ids at a time.
     *
     * @return completes on the writer thread with one entry per id, or exceptionally with a {@link JournalException}
     *     naming the file if a read fails or the journal is closed or failed
     */
    public CompletableFuture<byte[][]> read(long[] ids) {
        Objects.requireNonNull(ids, "ids");
        return ReadRequest.start(state, writer::onWriter, ids.clone());
    }

    /**
     * Appends {@code ops} as ONE atomic record: after a crash either all of them are there or none. The future
     * completes once the record is durable (written and fsynced; one fsync covers every record appended while the
     * previous one ran), or exceptionally with a {@link JournalException} saying what failed. Annotates and Deletes
     * of records that are not live are ignored. An Add of an id that is live fails the append. To an idle journal the
     * calling thread writes and fsyncs the record itself, and the future is complete on return.
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
            replay = null;
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
