package io.tunnelmq.bench.compare;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The disk's fsync limit, as one writer without group commit sees it: append 1 KiB to a file and force it to disk
 * ({@code FileChannel.force(false)}, what a journal does for each commit), again and again for a few seconds. Run in
 * the directory that holds the broker's journal, so both meet the same disk; a broker whose group commit reaches more
 * messages per second than this has put several messages in one fsync.
 */
final class FsyncProbe {
    static final Duration DEFAULT_TIME = Duration.ofSeconds(3);
    private static final int RECORD = 1024;
    /** The file is reused from the start past this size: the probe measures fsyncs, not a growing file. */
    private static final long WRAP_BYTES = 64L << 20;

    private FsyncProbe() {
    }

    /** Probes the disk under {@code dir} for {@code time}; the probe's file is deleted afterwards. */
    static Result probe(Path dir, Duration time) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "fsync-probe-", ".tmp");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
            long t0 = System.nanoTime();
            long end = t0 + time.toNanos();
            long fsyncs = 0;
            long position = 0;
            long now;
            do {
                record.clear();
                while (record.hasRemaining()) {
                    position += channel.write(record, position);
                }
                channel.force(false);
                fsyncs++;
                if (position >= WRAP_BYTES) {
                    position = 0;
                }
                now = System.nanoTime();
            } while (now < end);
            return new Result(fsyncs, (now - t0) / 1e9, dir, fileSystem(dir));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The file system's type ("ext4", "tmpfs": where an fsync costs nothing), or "unknown". */
    private static String fileSystem(Path dir) {
        try {
            return Files.getFileStore(dir).type();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * What a probe measured: {@code fsyncs} 1 KiB write+force cycles in {@code seconds}, in {@code dir} on a file
     * system of type {@code fileSystem}.
     */
    record Result(long fsyncs, double seconds, Path dir, String fileSystem) {
        double perSecond() {
            return fsyncs / seconds;
        }

        String describe() {
            return String.format(Locale.ROOT, "the disk's fsync limit: %,.0f fsyncs/s (1 KiB write + force, one "
                    + "writer, %.1f s, %.3f ms each, next to the journal on %s)", perSecond(), seconds,
                    seconds * 1e3 / fsyncs, fileSystem);
        }
    }
}
