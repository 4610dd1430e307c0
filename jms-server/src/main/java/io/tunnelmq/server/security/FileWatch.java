package io.tunnelmq.server.security;

import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads a file the operator may edit while the broker runs (the permissions file, the users file) again every poll,
 * on a daemon thread of its own, and hands its content over whenever it differs from the last content read. A file
 * that cannot be read is reported once, until it can be read again (its content then counts as changed). Comparing
 * the content, not the modification time, notices an edit within the same second and ignores a touch.
 */
final class FileWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileWatch.class);
    /** How often a watched file is read. */
    static final long POLL_MILLIS = 1_000;

    /** What happens to the file, told on the watch's thread. */
    interface Listener {
        /** The file's content is now {@code content} (never called for the content the watch started with). */
        void changed(byte[] content);

        /** The file cannot be read (told once, until it can be read again). */
        void unreadable(IOException e);
    }

    private final Path file;
    private final Listener listener;
    private final ScheduledExecutorService thread;
    private byte[] lastRead;

    private FileWatch(Path file, byte[] baseline, long pollMillis, String threadName, Listener listener) {
        this.file = file;
        this.lastRead = baseline;
        this.listener = listener;
        this.thread = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory(threadName, true));
        thread.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Watches {@code file}, whose content was {@code baseline} when it was last read.
     *
     * @param threadName the watch thread's name (a thread dump says what it watches)
     */
    static FileWatch start(Path file, byte[] baseline, long pollMillis, String threadName, Listener listener) {
        return new FileWatch(file, baseline, pollMillis, threadName, listener);
    }

    static byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    /** Stops watching. */
    @Override
    public void close() {
        thread.shutdownNow();
    }

    private void poll() {
        try {
            pollOnce();
        } catch (RuntimeException e) {
            // a listener's failure must not end the watch: the executor would run it never again
            log.error("reading {} again failed; the broker keeps what it had", file, e);
        }
    }

    private void pollOnce() {
        byte[] read;
        try {
            read = read(file);
        } catch (IOException e) {
            if (lastRead != null) {
                lastRead = null; // said once, until the file is back
                listener.unreadable(e);
            }
            return;
        }
        if (Arrays.equals(read, lastRead)) {
            return;
        }
        lastRead = read;
        listener.changed(read);
    }
}
