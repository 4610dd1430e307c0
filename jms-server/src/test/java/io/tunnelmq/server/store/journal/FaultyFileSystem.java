package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real file system with faults on demand: failing writes, failing fsyncs, a disk that is full after N more
 * bytes, and a crash after N more mutating operations (the operation at the crash point and everything after it
 * never happen, as if the process had died there).
 */
final class FaultyFileSystem implements JournalFileSystem {
    private final JournalFileSystem disk = DiskFileSystem.INSTANCE;
    private long spaceLeft = Long.MAX_VALUE;
    private volatile boolean failWrites;
    private volatile boolean failForce;
    private volatile int mutationsUntilCrash = -1;
    private volatile boolean crashed;
    final AtomicInteger mutations = new AtomicInteger();
    /** When set, a compaction waits at the creation of its output file until {@link #compactionGate} opens. */
    volatile CountDownLatch compactionGate;
    final CountDownLatch compactionWaiting = new CountDownLatch(1);
    /** When set, every fsync of a file waits until it opens. */
    volatile CountDownLatch forceGate;
    /** The name of the thread that last wrote to a segment in use (not one being prepared or compacted). */
    volatile String lastWriter;
    /** The name of the thread that last deleted a segment file. */
    volatile String lastDeleter;
    /** When set, an fsync throws it: a bug below the journal, not an I/O error. */
    volatile RuntimeException forceBug;

    /** A segment in use: not one being prepared ({@code .prealloc}) or compacted ({@code .compact}). */
    private static boolean isSegment(Path file) {
        return Segment.sequenceOf(file.getFileName().toString()) > 0;
    }

    synchronized void diskFullAfter(long bytes) {
        spaceLeft = bytes;
    }

    synchronized void diskSpaceFreed() {
        spaceLeft = Long.MAX_VALUE;
    }

    void failWrites(boolean fail) {
        failWrites = fail;
    }

    void failForce(boolean fail) {
        failForce = fail;
    }

    /** The {@code n}-th mutating operation from now (0 = the next) and all later ones do not happen. */
    synchronized void crashAfter(int n) {
        mutationsUntilCrash = n;
    }

    boolean crashed() {
        return crashed;
    }

    private synchronized void mutation(String what) throws IOException {
        if (crashed) {
            throw new IOException("simulated crash: " + what + " did not happen");
        }
        mutations.incrementAndGet();
        if (mutationsUntilCrash >= 0) {
            if (mutationsUntilCrash == 0) {
                crashed = true;
                throw new IOException("simulated crash before " + what);
            }
            mutationsUntilCrash--;
        }
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        mutation("mkdir " + directory);
        disk.createDirectories(directory);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        return disk.list(directory);
    }

    @Override
    public JournalFile open(Path file, boolean create) throws IOException {
        if (create) {
            CountDownLatch gate = compactionGate;
            if (gate != null && file.getFileName().toString().endsWith(Recovery.COMPACTING_SUFFIX)) {
                compactionWaiting.countDown();
                try {
                    if (!gate.await(10, TimeUnit.SECONDS)) {
                        throw new IOException("the test never opened the compaction gate");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            mutation("create " + file);
        }
        return new FaultyFile(file, disk.open(file, create));
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        mutation("rename " + source + " to " + target);
        synchronized (this) {
            if (Files.exists(target) && spaceLeft != Long.MAX_VALUE) {
                spaceLeft += Files.size(target);
            }
        }
        disk.move(source, target);
    }

    @Override
    public void delete(Path file) throws IOException {
        mutation("delete " + file);
        if (isSegment(file)) {
            lastDeleter = Thread.currentThread().getName();
        }
        synchronized (this) {
            if (Files.exists(file) && spaceLeft != Long.MAX_VALUE) {
                spaceLeft += Files.size(file);
            }
        }
        disk.delete(file);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        mutation("fsync " + directory);
        disk.syncDirectory(directory);
    }

    @Override
    public AutoCloseable lock(Path lockFile) throws IOException {
        return disk.lock(lockFile);
    }

    private final class FaultyFile implements JournalFile {
        private final Path path;
        private final JournalFile file;

        FaultyFile(Path path, JournalFile file) {
            this.path = path;
            this.file = file;
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            if (isSegment(path)) {
                lastWriter = Thread.currentThread().getName();
            }
            mutation("write to " + path);
            if (failWrites) {
                throw new IOException("Input/output error (injected) writing " + path);
            }
            synchronized (FaultyFileSystem.this) {
                long growth = Math.max(0, position + source.remaining() - file.size());
                if (growth > spaceLeft) {
                    long fits = Math.max(0, file.size() + spaceLeft - position);
                    ByteBuffer part = source.duplicate();
                    part.limit(part.position() + (int) Math.min(fits, part.remaining()));
                    file.write(part, position);
                    spaceLeft = 0;
                    throw new IOException("No space left on device (injected)");
                }
                if (spaceLeft != Long.MAX_VALUE) {
                    spaceLeft -= growth;
                }
            }
            file.write(source, position);
        }

        @Override
        public int read(ByteBuffer target, long position) throws IOException {
            return file.read(target, position);
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            mutation("truncate " + path);
            synchronized (FaultyFileSystem.this) {
                long shrink = Math.max(0, file.size() - size);
                if (spaceLeft != Long.MAX_VALUE) {
                    spaceLeft += shrink;
                }
            }
            file.truncate(size);
        }

        @Override
        public void force() throws IOException {
            CountDownLatch gate = forceGate;
            if (gate != null) {
                try {
                    if (!gate.await(10, TimeUnit.SECONDS)) {
                        throw new IOException("the test never opened the fsync gate");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            mutation("fsync " + path);
            RuntimeException bug = forceBug;
            if (bug != null) {
                throw bug;
            }
            if (failForce) {
                throw new IOException("Input/output error (injected) in fsync of " + path);
            }
            file.force();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
