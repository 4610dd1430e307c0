package io.tunnelmq.server.store;

import io.tunnelmq.server.store.journal.Journal;
import io.tunnelmq.server.store.journal.JournalOp;
import io.tunnelmq.server.store.journal.JournalOptions;
import io.tunnelmq.server.store.journal.JournalStats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The embedded journal ({@link Journal}: segments, group commit, compaction) as the store's record log. */
final class JournalRecordLog implements RecordLog {
    private final Journal journal;
    private final Path directory;

    private JournalRecordLog(Journal journal, Path directory) {
        this.journal = journal;
        this.directory = directory;
    }

    /**
     * Opens the journal in {@code directory} and recovers its index ({@link #replay} reads the records back); its
     * errors name the directory and the cause.
     */
    static RecordLog open(Path directory) throws IOException {
        return open(JournalOptions.builder(directory).build());
    }

    /** Opens the journal with these options. */
    static RecordLog open(JournalOptions options) throws IOException {
        return new JournalRecordLog(Journal.open(options), options.directory());
    }

    @Override
    public void replay(Consumer<Recovered> recovered) throws IOException {
        journal.replay(r -> recovered.accept(new Recovered(r.id(), r.data(), r.annotation())));
    }

    @Override
    public CompletableFuture<byte[][]> read(long[] ids) {
        return journal.read(ids);
    }

    @Override
    public CompletableFuture<Void> append(List<Op> ops) {
        return journal.append(convert(ops));
    }

    @Override
    public CompletableFuture<Void> appendLazily(List<Op> ops) {
        return journal.appendLazily(convert(ops));
    }

    @Override
    public StoreFigures figures() {
        JournalStats stats = journal.stats();
        return new StoreFigures(true, stats.totalBytes(), stats.bytesWritten(), journal.syncTimes(), freeSpace());
    }

    private long freeSpace() {
        try {
            return Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            return 0; // monitoring must not fail for it; the journal reports a full or gone disk itself
        }
    }

    @Override
    public void close() {
        journal.close();
    }

    @Override
    public String toString() {
        return "journal in " + directory;
    }

    private static List<JournalOp> convert(List<Op> ops) {
        List<JournalOp> converted = new ArrayList<>(ops.size());
        for (Op op : ops) {
            if (op instanceof Add a) {
                converted.add(new JournalOp.Add(a.id(), a.data()));
            } else if (op instanceof Annotate n) {
                converted.add(new JournalOp.Annotate(n.id(), n.annotation()));
            } else {
                converted.add(new JournalOp.Delete(((Delete) op).id()));
            }
        }
        return converted;
    }
}
