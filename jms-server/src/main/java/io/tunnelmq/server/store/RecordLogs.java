package io.tunnelmq.server.store;

/**
 * The record log a persistent broker opens in its data directory: the embedded journal
 * ({@link io.tunnelmq.server.store.journal.Journal}, with segments, group commit, compaction and corruption
 * reporting).
 */
public final class RecordLogs {
    private RecordLogs() {
    }

    /** The production log. */
    public static RecordLog.Opener production() {
        return JournalRecordLog::open;
    }
}
