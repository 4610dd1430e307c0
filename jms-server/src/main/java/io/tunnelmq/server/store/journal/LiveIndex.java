package io.tunnelmq.server.store.journal;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live records, in the order their Adds were appended, with where their data is and their latest annotation;
 * and the per-segment counts that say when a segment stops mattering. Owned by one thread at a time (recovery,
 * then the writer).
 */
final class LiveIndex {
    /** Where a live record's data is and its latest annotation. */
    static final class Entry {
        final long id;
        Segment addSegment;
        long dataPosition;
        final int dataLength;
        byte[] annotation;
        Segment annotationSegment;

        Entry(long id, Segment addSegment, long dataPosition, int dataLength) {
            this.id = id;
            this.addSegment = addSegment;
            this.dataPosition = dataPosition;
            this.dataLength = dataLength;
        }
    }

    /** Insertion order = Add order: a reused id is removed and re-inserted at the end. */
    private final Map<Long, Entry> entries = new LinkedHashMap<>();
    private long liveBytes;
    /** The segments a running compaction is copying: deaths of their records are noted in {@link #diedWhileCopied}. */
    private Set<Segment> compacting = Set.of();
    /** Records of {@link #compacting} segments deleted while the copy ran, and the segment holding the Delete. */
    private final Map<Entry, Segment> diedWhileCopied = new IdentityHashMap<>();

    boolean isLive(long id) {
        return entries.containsKey(id);
    }

    /** The live record of {@code id}, or null. */
    Entry get(long id) {
        return entries.get(id);
    }

    int size() {
        return entries.size();
    }

    long liveBytes() {
        return liveBytes;
    }

    /** Live records in Add order. Do not apply records while iterating. */
    Collection<Entry> inAddOrder() {
        return entries.values();
    }

    /** Whether {@code entry} is still the live record of its id (not deleted, not replaced by a reuse of the id). */
    boolean isLive(Entry entry) {
        return entries.get(entry.id) == entry;
    }

    void startCompacting(Set<Segment> segments) {
        compacting = segments;
        diedWhileCopied.clear();
    }

    Set<Segment> compacting() {
        return compacting;
    }

    /** Ends a compaction: the records of its segments deleted while it copied them, with their Delete's segment. */
    Map<Entry, Segment> stopCompacting() {
        Map<Entry, Segment> died = new IdentityHashMap<>(diedWhileCopied);
        compacting = Set.of();
        diedWhileCopied.clear();
        return died;
    }

    /** What a live record takes once compacted: one record holding its Add. */
    static long compactedSize(int dataLength) {
        return RecordFormat.RECORD_HEADER_BYTES + 4L + RecordFormat.DATA_OP_OVERHEAD + dataLength;
    }

    /**
     * Applies a record written at {@code recordPosition} of {@code segment}. Annotates and Deletes of records that
     * are not live are ignored; an Add of an id that is live replaces it (the writer refuses that, so only a
     * damaged or hand-made journal has it).
     */
    void apply(Segment segment, long recordPosition, List<JournalOp> ops, int[] dataOffsets) {
        for (int i = 0; i < ops.size(); i++) {
            JournalOp op = ops.get(i);
            if (op instanceof JournalOp.Add add) {
                delete(segment, add.id());
                Entry entry = new Entry(add.id(), segment, recordPosition + dataOffsets[i], add.data().length);
                entries.put(add.id(), entry);
                segment.liveAdds++;
                long size = compactedSize(entry.dataLength);
                segment.liveBytes += size;
                liveBytes += size;
            } else if (op instanceof JournalOp.Annotate annotate) {
                Entry entry = entries.get(annotate.id());
                if (entry != null) {
                    if (entry.annotationSegment != null) {
                        entry.annotationSegment.liveAnnotations--;
                    }
                    entry.annotation = annotate.annotation();
                    entry.annotationSegment = segment;
                    segment.liveAnnotations++;
                }
            } else {
                delete(segment, op.id());
            }
        }
    }

    private void delete(Segment segment, long id) {
        Entry entry = entries.remove(id);
        if (entry == null) {
            return;
        }
        Segment added = entry.addSegment;
        added.liveAdds--;
        added.lastDeathNanos = System.nanoTime();
        long size = compactedSize(entry.dataLength);
        added.liveBytes -= size;
        liveBytes -= size;
        if (entry.annotationSegment != null) {
            entry.annotationSegment.liveAnnotations--;
        }
        if (compacting.contains(added)) {
            diedWhileCopied.put(entry, segment);
        }
        if (added != segment) {
            // this Delete must outlive the segment holding the Add, or the record comes back at recovery
            segment.pins++;
            added.dependents.merge(segment, 1, Integer::sum);
        }
    }
}
