package io.tunnelmq.server.store.journal;

import java.util.Objects;

/**
 * One operation in an atomic journal record (see {@link Journal#append}). Ids are chosen by the caller, are &gt; 0
 * and unique among live records (an id may be reused once its record is deleted).
 */
public sealed interface JournalOp permits JournalOp.Add, JournalOp.Annotate, JournalOp.Delete {

    /** The record this operation is about. */
    long id();

    /** A new live record: its data is written once and never rewritten except by compaction, byte for byte. */
    record Add(long id, byte[] data) implements JournalOp {
        public Add {
            requirePositive(id);
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * Replaces the annotation of live record {@code id} (e.g. a delivery count). Keep it small: the journal holds
     * the latest annotation of every live record in memory. Ignored if the record is not live.
     */
    record Annotate(long id, byte[] annotation) implements JournalOp {
        public Annotate {
            requirePositive(id);
            Objects.requireNonNull(annotation, "annotation");
        }
    }

    /** Record {@code id} is dead. Ignored if the record is not live. */
    record Delete(long id) implements JournalOp {
        public Delete {
            requirePositive(id);
        }
    }

    private static void requirePositive(long id) {
        if (id <= 0) {
            throw new IllegalArgumentException("journal record ids must be > 0, was " + id);
        }
    }
}
