package io.tunnelmq.server.security;

import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads files the operator may change while the broker runs (the permissions file, the users file, the TLS stores)
 * again every poll, on a daemon thread of its own, and hands a file's content over whenever it differs from the last
 * content read. A file that cannot be read is reported once, until it can be read again (its content then counts as
 * changed). Comparing the content, not the modification time, notices an edit within the same second, ignores a touch,
 * and follows a file replaced through a symbolic link (as a Kubernetes secret volume is updated).
 */
public final class FileWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileWatch.class);
    /** How often watched files are read. */
    public static final long POLL_MILLIS = 1_000;

    /** What happens to a watched file, told on the watch's thread. */
    public interface Listener {
        /** {@code file}'s content is now {@code content} (never called for the content the watch started with). */
        void changed(Path file, byte[] content);

        /** {@code file} cannot be read (told once, until it can be read again). */
        void unreadable(Path file, IOException e);
    }

    private final Map<Path, byte[]> lastRead;
    private final Listener listener;
    private final ScheduledExecutorService thread;

    private FileWatch(Map<Path, byte[]> baselines, long pollMillis, String threadName, Listener listener) {
        this.lastRead = new LinkedHashMap<>(baselines);
        this.listener = listener;
        this.thread = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory(threadName, true));
        thread.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Watches the files {@code baselines} names, each last read with the content it maps to (null: not readable then).
     *
     * @param threadName the watch thread's name (a thread dump says what it watches)
     */
    public static FileWatch start(Map<Path, byte[]> baselines, long pollMillis, String threadName, Listener listener) {
        return new FileWatch(baselines, pollMillis, threadName, listener);
    }

    /** Watches one file, last read with {@code baseline}. */
    public static FileWatch start(Path file, byte[] baseline, long pollMillis, String threadName, Listener listener) {
        Map<Path, byte[]> one = new LinkedHashMap<>();
        one.put(file, baseline);
        return start(one, pollMillis, threadName, listener);
    }

    /** The file's content now. */
    public static byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    /** Stops watching. */
    @Override
    public void close() {
        thread.shutdownNow();
    }

    private void poll() {
        for (Map.Entry<Path, byte[]> entry : lastRead.entrySet()) {
            try {
                pollOnce(entry);
            } catch (RuntimeException e) {
                // a listener's failure must not end the watch: the executor would run it never again
                log.error("reading {} again failed; the broker keeps what it had", entry.getKey(), e);
            }
        }
    }

    private void pollOnce(Map.Entry<Path, byte[]> entry) {
        byte[] read;
        try {
            read = read(entry.getKey());
        } catch (IOException e) {
            if (entry.getValue() != null) {
                entry.setValue(null); // said once, until the file is back
                listener.unreadable(entry.getKey(), e);
            }
            return;
        }
        if (Arrays.equals(read, entry.getValue())) {
            return;
        }
        entry.setValue(read);
        listener.changed(entry.getKey(), read);
    }
}
