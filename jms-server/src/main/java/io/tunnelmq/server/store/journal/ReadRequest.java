package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One {@link Journal#read}: looks the ids up in the live index and reads their data, on the writer thread, in slices
 * of at most {@value #MAX_IDS} ids and about {@value #MAX_BYTES} bytes. A slice is one writer task; the rest of a
 * larger request queues again behind it, so group commits waiting meanwhile go first and a big read never holds
 * appends up for long.
 */
final class ReadRequest implements WriterInbox.WriterTask {
    static final int MAX_IDS = 512;
    static final int MAX_BYTES = 4 << 20;

    private final JournalState state;
    private final Function<WriterInbox.WriterTask, CompletableFuture<Void>> onWriter;
    private final long[] ids;
    private final byte[][] data;
    private final CompletableFuture<byte[][]> done = new CompletableFuture<>();
    /** The first id not looked up yet. Writer thread only. */
    private int next;

    private ReadRequest(JournalState state, Function<WriterInbox.WriterTask, CompletableFuture<Void>> onWriter,
            long[] ids) {
        this.state = state;
        this.onWriter = onWriter;
        this.ids = ids;
        this.data = new byte[ids.length][];
    }

    /** Starts reading {@code ids}; the future completes on the writer thread. */
    static CompletableFuture<byte[][]> start(JournalState state,
            Function<WriterInbox.WriterTask, CompletableFuture<Void>> onWriter, long[] ids) {
        ReadRequest request = new ReadRequest(state, onWriter, ids);
        if (ids.length == 0) {
            request.done.complete(request.data);
        } else {
            request.queue();
        }
        return request.done;
    }

    private void queue() {
        onWriter.apply(this).whenComplete((ignored, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            }
        });
    }

    @Override
    public void run() throws IOException {
        List<LiveIndex.Entry> entries = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        long bytes = 0;
        int lookedUp = 0;
        while (next < ids.length && lookedUp < MAX_IDS) {
            LiveIndex.Entry entry = state.index.get(ids[next]);
            if (entry != null) {
                if (!entries.isEmpty() && bytes + entry.dataLength > MAX_BYTES) {
                    break;
                }
                entries.add(entry);
                slots.add(next);
                bytes += entry.dataLength;
            }
            next++;
            lookedUp++;
        }
        byte[][] read = state.reads.read(entries);
        for (int i = 0; i < read.length; i++) {
            data[slots.get(i)] = read[i];
        }
        if (next < ids.length) {
            queue();
        } else {
            done.complete(data);
        }
    }
}
