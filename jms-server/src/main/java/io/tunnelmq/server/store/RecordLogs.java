package io.tunnelmq.server.store;

/**
 * The record log a persistent broker opens in its data directory. Until the embedded journal
 * ({@code io.tunnelmq.server.store.journal.Journal}, with segments, compaction and corruption reporting) is wired in
 * here, it is the minimal {@link FileRecordLog}.
 */
public final class RecordLogs {
    private RecordLogs() {
    }

    /** The production log. */
    public static RecordLog.Opener production() {
        return FileRecordLog::open;
    }
}
