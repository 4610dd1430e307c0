package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The records that were live when the journal opened, handed back in Add order a batch at a time (at most
 * {@value #BATCH_RECORDS} records and about {@value #BATCH_BYTES} bytes of data): recovery holds the index in memory,
 * never the data of the whole journal. Batches are read on the writer thread, which owns the index and the segment
 * files; a record deleted (or its segment compacted) since the open is found where it is now, or skipped if it is
 * dead.
 */
final class Replay {
    static final int BATCH_RECORDS = 16_384;
    static final int BATCH_BYTES = 4 << 20;

    private final JournalState state;
    /** The live records at open, in Add order; a slot is cleared once handed over. Writer thread only. */
    private List<LiveIndex.Entry> remaining;
    private int next;

    Replay(JournalState state, List<LiveIndex.Entry> atOpen) {
        this.state = state;
        this.remaining = atOpen;
    }

    /** Writer thread: the next batch in Add order; empty once every record was handed over. */
    List<RecoveredRecord> nextBatch() throws IOException {
        List<LiveIndex.Entry> batch = new ArrayList<>();
        long bytes = 0;
        while (remaining != null && next < remaining.size() && batch.size() < BATCH_RECORDS) {
            LiveIndex.Entry entry = remaining.get(next);
            if (state.index.isLive(entry)) {
                if (!batch.isEmpty() && bytes + entry.dataLength > BATCH_BYTES) {
                    break;
                }
                batch.add(entry);
                bytes += entry.dataLength;
            }
            remaining.set(next++, null); // a dead entry need not stay reachable
        }
        if (batch.isEmpty()) {
            remaining = null;
            return List.of();
        }
        byte[][] data = state.reads.read(batch);
        List<RecoveredRecord> records = new ArrayList<>(batch.size());
        for (int i = 0; i < data.length; i++) {
            LiveIndex.Entry entry = batch.get(i);
            records.add(new RecoveredRecord(entry.id, data[i], entry.annotation));
        }
        return records;
    }

    /** Writer thread: the replay stopped early (its consumer failed); forget what was left. */
    void abandon() {
        remaining = null;
    }
}
