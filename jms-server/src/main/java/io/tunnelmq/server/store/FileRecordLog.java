package io.tunnelmq.server.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A deliberately small {@link RecordLog}: one file ({@code records.log}), records of
 * {@code int length | int CRC32C(body) | body}, group commit on one daemon writer thread (everything queued is
 * written with one {@code write} and one {@code force}), a torn or corrupt tail truncated at open. It never compacts:
 * the file only grows. It keeps the broker durable until the embedded journal ({@code io.tunnelmq.server.store.journal},
 * with segments and compaction) replaces it in {@link RecordLogs}.
 *
 * <p>Body: {@code int opCount}, then per op {@code byte type (1 add, 2 annotate, 3 delete) | long id} and, for add and
 * annotate, {@code int length | bytes}.
 */
public final class FileRecordLog implements RecordLog {
    private static final Logger log = LoggerFactory.getLogger(FileRecordLog.class);
    static final String FILE_NAME = "records.log";
    private static final byte ADD = 1;
    private static final byte ANNOTATE = 2;
    private static final byte DELETE = 3;
    private static final Pending CLOSE = new Pending(List.of(), false, null);

    private record Pending(List<Op> ops, boolean durable, CompletableFuture<Void> done) {
    }

    private final Path file;
    private final FileChannel channel;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private long position;
    private volatile String failure;
    private volatile boolean closed;

    private FileRecordLog(Path file, FileChannel channel, long position) {
        this.file = file;
        this.channel = channel;
        this.position = position;
        this.writer = new Thread(this::writeLoop, "tunnelmq-record-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens (creating the directory and file if missing) and reports the live records in order. */
    public static FileRecordLog open(Path directory, Consumer<Recovered> recovered) throws IOException {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IOException("cannot create the data directory " + directory.toAbsolutePath() + ": " + e, e);
        }
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("cannot open " + file.toAbsolutePath() + " for reading and writing: " + e, e);
        }
        try {
            long end = replay(file, channel, recovered);
            if (end < channel.size()) {
                log.warn("{}: dropped a torn or corrupt tail of {} bytes at offset {}", file, channel.size() - end, end);
                channel.truncate(end);
                channel.force(true);
            }
            return new FileRecordLog(file, channel, end);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e instanceof IOException io ? io : new IOException("cannot read " + file + ": " + e, e);
        }
    }

    @Override
    public CompletableFuture<Void> append(List<Op> ops) {
        return enqueue(ops, true);
    }

    @Override
    public CompletableFuture<Void> appendLazily(List<Op> ops) {
        return enqueue(ops, false);
    }

    private CompletableFuture<Void> enqueue(List<Op> ops, boolean durable) {
        String failed = failure;
        if (failed != null) {
            return CompletableFuture.failedFuture(new IOException(failed));
        }
        if (closed) {
            return CompletableFuture.failedFuture(new IOException(file + " is closed"));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Pending(List.copyOf(ops), durable, done));
        return done;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(CLOSE);
        try {
            writer.join(10_000);
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.warn("{}: close failed", file, e);
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>();
        while (true) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(group);
            boolean stop = group.remove(CLOSE);
            writeGroup(group);
            group.clear();
            if (stop) {
                return;
            }
        }
    }

    private void writeGroup(List<Pending> group) {
        if (group.isEmpty()) {
            return;
        }
        if (failure != null) {
            group.forEach(p -> p.done.completeExceptionally(new IOException(failure)));
            return;
        }
        boolean durable = false;
        int size = 0;
        List<byte[]> bodies = new ArrayList<>(group.size());
        for (Pending p : group) {
            byte[] body = encode(p.ops);
            bodies.add(body);
            size += 8 + body.length;
            durable |= p.durable;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        CRC32C crc = new CRC32C();
        for (byte[] body : bodies) {
            crc.reset();
            crc.update(body);
            buf.putInt(body.length).putInt((int) crc.getValue()).put(body);
        }
        buf.flip();
        try {
            while (buf.hasRemaining()) {
                channel.write(buf, position + buf.position());
            }
        } catch (IOException e) {
            IOException failed = new IOException("writing " + size + " bytes to " + file + " at offset " + position
                    + " failed: " + e.getMessage(), e);
            try {
                channel.truncate(position);
            } catch (IOException ignored) {
                // the torn tail is dropped at the next open
            }
            group.forEach(p -> p.done.completeExceptionally(failed));
            return;
        }
        if (durable) {
            try {
                channel.force(false);
            } catch (IOException e) {
                // after a failed fsync the kernel may have dropped the pages: nothing written can be trusted any more
                failure = "fsync of " + file + " failed (" + e.getMessage() + "); restart the broker";
                log.error("{}: {}", file, failure, e);
                group.forEach(p -> p.done.completeExceptionally(new IOException(failure, e)));
                return;
            }
        }
        position += size;
        group.forEach(p -> p.done.complete(null));
    }

    private static byte[] encode(List<Op> ops) {
        int size = 4;
        for (Op op : ops) {
            size += 9 + (op instanceof Add a ? 4 + a.data().length : op instanceof Annotate n ? 4 + n.annotation().length : 0);
        }
        ByteBuffer buf = ByteBuffer.allocate(size).putInt(ops.size());
        for (Op op : ops) {
            if (op instanceof Add a) {
                buf.put(ADD).putLong(a.id()).putInt(a.data().length).put(a.data());
            } else if (op instanceof Annotate n) {
                buf.put(ANNOTATE).putLong(n.id()).putInt(n.annotation().length).put(n.annotation());
            } else if (op instanceof Delete d) {
                buf.put(DELETE).putLong(d.id());
            }
        }
        return buf.array();
    }

    /** Reads every intact record; returns where the intact part of the file ends. */
    private static long replay(Path file, FileChannel channel, Consumer<Recovered> recovered) throws IOException {
        long size = channel.size();
        if (size > Integer.MAX_VALUE) {
            throw new IOException(file + " is " + size + " bytes; this interim log reads at most 2 GiB");
        }
        ByteBuffer all = ByteBuffer.allocate((int) size);
        while (all.hasRemaining() && channel.read(all, all.position()) >= 0) {
            // read it all
        }
        all.flip();
        Map<Long, byte[][]> live = new LinkedHashMap<>();
        CRC32C crc = new CRC32C();
        long end = 0;
        while (all.remaining() >= 8) {
            int length = all.getInt();
            int checksum = all.getInt();
            if (length < 4 || length > all.remaining()) {
                break;
            }
            byte[] body = new byte[length];
            all.get(body);
            crc.reset();
            crc.update(body);
            if ((int) crc.getValue() != checksum || !apply(ByteBuffer.wrap(body), live)) {
                break;
            }
            end = all.position();
        }
        live.forEach((id, r) -> recovered.accept(new Recovered(id, r[0], r[1])));
        return end;
    }

    /** Applies one record's ops; false if the body is malformed (then nothing of it is applied). */
    private static boolean apply(ByteBuffer body, Map<Long, byte[][]> live) {
        List<Op> ops = new ArrayList<>();
        try {
            int count = body.getInt();
            for (int i = 0; i < count; i++) {
                byte type = body.get();
                long id = body.getLong();
                switch (type) {
                    case ADD, ANNOTATE -> {
                        byte[] bytes = new byte[body.getInt()];
                        body.get(bytes);
                        ops.add(type == ADD ? new Add(id, bytes) : new Annotate(id, bytes));
                    }
                    case DELETE -> ops.add(new Delete(id));
                    default -> {
                        return false;
                    }
                }
            }
        } catch (RuntimeException e) {
            return false;
        }
        for (Op op : ops) {
            if (op instanceof Add a) {
                live.put(a.id(), new byte[][] {a.data(), null});
            } else if (op instanceof Annotate n) {
                byte[][] r = live.get(n.id());
                if (r != null) {
                    r[1] = n.annotation();
                }
            } else if (op instanceof Delete d) {
                live.remove(d.id());
            }
        }
        return true;
    }
}
