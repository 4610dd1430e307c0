package io.tunnelmq.server.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link RecordLog} for tests: records every append, keeps what was "written" on a {@link Disk} that outlives the
 * log (so a broker can restart on it), can hold durable appends until the test releases them (a slow disk), and can
 * fail appends (a full disk). Thread-safe (the broker appends from event loops).
 */
public final class FakeRecordLog implements RecordLog {

    /** One append, as the store made it. */
    public record Append(List<Op> ops, boolean durable) {
    }

    /** The records that survive a restart, in order. */
    public static final class Disk {
        private final List<List<Op>> records = new ArrayList<>();
        private volatile FakeRecordLog current;

        /** Opens a new log on this disk, replaying it; also fails opening when {@code openFailure} is set. */
        public RecordLog.Opener opener() {
            return this::open;
        }

        /** The log opened last. */
        public FakeRecordLog log() {
            return current;
        }

        private synchronized RecordLog open(Path directory) {
            current = new FakeRecordLog(this, live());
            return current;
        }

        /** The live records now, in the order first added: id -> {data, annotation}. */
        synchronized Map<Long, byte[][]> live() {
            Map<Long, byte[][]> live = new LinkedHashMap<>();
            for (List<Op> record : records) {
                for (Op op : record) {
                    if (op instanceof Add a) {
                        live.put(a.id(), new byte[][] {a.data(), null});
                    } else if (op instanceof Annotate n && live.containsKey(n.id())) {
                        live.get(n.id())[1] = n.annotation();
                    } else if (op instanceof Delete d) {
                        live.remove(d.id());
                    }
                }
            }
            return live;
        }

        synchronized void write(List<Op> ops) {
            records.add(ops);
        }

        /** How many records were written. */
        public synchronized int size() {
            return records.size();
        }
    }

    private record Held(List<Op> ops, CompletableFuture<Void> done) {
    }

    private final Disk disk;
    private final List<Append> appends = new ArrayList<>();
    private final Deque<Held> held = new ArrayDeque<>();
    private boolean holding;
    private IOException failure;

    /** What the disk held at open, until {@link #replay} hands it over. */
    private Map<Long, byte[][]> atOpen;

    private FakeRecordLog(Disk disk, Map<Long, byte[][]> atOpen) {
        this.disk = disk;
        this.atOpen = atOpen;
    }

    /** A log on a fresh disk. */
    public static FakeRecordLog create() {
        Disk disk = new Disk();
        try {
            return (FakeRecordLog) disk.opener().open(Path.of("fake"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** From now on durable appends wait for {@link #releaseOne()} / {@link #releaseAll()} (lazy ones too, behind them). */
    public synchronized void hold() {
        holding = true;
    }

    /** Completes the oldest held append; false if none was held. */
    public boolean releaseOne() {
        Held h;
        synchronized (this) {
            h = held.poll();
            if (h == null) {
                return false;
            }
            disk.write(h.ops);
        }
        h.done.complete(null);
        return true;
    }

    /** Stops holding and completes every held append, in order. */
    public void releaseAll() {
        synchronized (this) {
            holding = false;
        }
        while (releaseOne()) {
            // in order
        }
    }

    /** Appends fail with {@code e} from now on (null: they succeed again). Nothing failed reaches the disk. */
    public synchronized void failWith(IOException e) {
        failure = e;
    }

    /** Appends made so far. */
    public synchronized List<Append> appends() {
        return List.copyOf(appends);
    }

    public synchronized int heldCount() {
        return held.size();
    }

    @Override
    public CompletableFuture<Void> append(List<Op> ops) {
        return add(ops, true);
    }

    @Override
    public CompletableFuture<Void> appendLazily(List<Op> ops) {
        return add(ops, false);
    }

    private CompletableFuture<Void> add(List<Op> ops, boolean durable) {
        synchronized (this) {
            appends.add(new Append(List.copyOf(ops), durable));
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (holding || !held.isEmpty()) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                held.add(new Held(List.copyOf(ops), done));
                return done;
            }
            disk.write(List.copyOf(ops));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void replay(Consumer<Recovered> recovered) {
        Map<Long, byte[][]> records;
        synchronized (this) {
            records = atOpen;
            atOpen = null;
        }
        if (records == null) {
            throw new IllegalStateException("replayed twice");
        }
        records.forEach((id, r) -> recovered.accept(new Recovered(id, r[0], r[1])));
    }

    /** What the disk holds now (held appends are not on it yet). */
    @Override
    public CompletableFuture<byte[][]> read(long[] ids) {
        Map<Long, byte[][]> live = disk.live();
        byte[][] data = new byte[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            byte[][] record = live.get(ids[i]);
            data[i] = record == null ? null : record[0];
        }
        return CompletableFuture.completedFuture(data);
    }

    @Override
    public void close() {
        // what was held never reached the disk: a crash
    }
}
