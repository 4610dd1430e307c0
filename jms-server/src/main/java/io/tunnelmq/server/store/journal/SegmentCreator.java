package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes new segment files: header written, zero-filled to the segment size when preallocating, fsynced, under a
 * temporary name, then renamed into place and the directory fsynced, so a file with a segment name always has a
 * good header. The next segment is prepared ahead on a daemon thread, so rolling costs the writer only a rename.
 */
final class SegmentCreator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SegmentCreator.class);
    private static final int ZERO_CHUNK = 1 << 20;

    private final JournalOptions options;
    private final JournalFileSystem fs;
    private final ExecutorService preparer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tunnelmq-journal-prealloc");
        thread.setDaemon(true);
        return thread;
    });
    private long preparedSequence = -1;
    private CompletableFuture<Path> prepared;

    SegmentCreator(JournalOptions options) {
        this.options = options;
        this.fs = options.fileSystem();
    }

    /** A new, empty segment file {@code sequence} in place and open for writing. */
    Installed create(long sequence) throws IOException {
        Path temporary = takePrepared(sequence);
        Segment segment = new Segment(options.directory(), sequence, sequence);
        try {
            fs.move(temporary, segment.path);
            fs.syncDirectory(options.directory());
            segment.end = RecordFormat.SEGMENT_HEADER_BYTES;
            return new Installed(segment, fs.open(segment.path, false));
        } catch (IOException e) {
            // the writer goes on in the previous segment, which must stay the last one on disk
            deleteQuietly(temporary);
            deleteQuietly(segment.path);
            throw e;
        }
    }

    /** A segment in place and its open file. */
    record Installed(Segment segment, JournalFileSystem.JournalFile file) {
    }

    /** Starts preparing segment {@code sequence} in the background. */
    void prepareAhead(long sequence) {
        discardPrepared();
        preparedSequence = sequence;
        prepared = CompletableFuture.supplyAsync(() -> {
            try {
                return prepare(sequence);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, preparer);
    }

    private Path takePrepared(long sequence) throws IOException {
        CompletableFuture<Path> ready = prepared;
        if (ready != null && preparedSequence == sequence) {
            prepared = null;
            try {
                return ready.join();
            } catch (CompletionException e) {
                log.warn("journal {}: preparing segment {} ahead failed ({}); trying again", options.directory(),
                        sequence, e.getCause().toString());
            }
        }
        return prepare(sequence);
    }

    private Path prepare(long sequence) throws IOException {
        Path temporary = options.directory().resolve(Segment.fileName(sequence) + Recovery.PREPARING_SUFFIX);
        try (JournalFileSystem.JournalFile file = fs.open(temporary, true)) {
            file.truncate(0);
            file.write(RecordFormat.encodeHeader(new RecordFormat.SegmentHeader(sequence, sequence)), 0);
            if (options.preallocate()) {
                ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
                for (long at = RecordFormat.SEGMENT_HEADER_BYTES; at < options.segmentBytes(); at += ZERO_CHUNK) {
                    zeros.clear().limit((int) Math.min(ZERO_CHUNK, options.segmentBytes() - at));
                    file.write(zeros, at);
                }
            }
            file.force();
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new IOException("cannot create journal segment " + temporary + ": " + e.getMessage(), e);
        }
        return temporary;
    }

    private void discardPrepared() {
        CompletableFuture<Path> ready = prepared;
        prepared = null;
        if (ready != null) {
            ready.thenAccept(this::deleteQuietly);
        }
    }

    private void deleteQuietly(Path file) {
        try {
            fs.delete(file);
        } catch (IOException e) {
            log.debug("journal {}: could not delete {}: {}", options.directory(), file, e.toString());
        }
    }

    /** Stops the preparing thread and deletes a prepared file nobody will use. */
    @Override
    public void close() {
        CompletableFuture<Path> ready = prepared;
        prepared = null;
        preparer.shutdown();
        if (ready != null) {
            try {
                deleteQuietly(ready.join());
            } catch (CompletionException e) {
                // nothing was left behind
            }
        }
    }
}
