package io.tunnelmq.server.store;

import io.tunnelmq.server.store.journal.JournalOptions;

import java.util.function.UnaryOperator;

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

    /**
     * The production log, opened even when damaged: it keeps every record that verifies, rewrites each damaged
     * segment without its damage and moves the damaged file aside ({@code --salvage}).
     */
    public static RecordLog.Opener salvaging() {
        return directory -> JournalRecordLog.open(JournalOptions.builder(directory).salvage(true).build());
    }

    /** The embedded journal with options of its own (small segments that compact early, in tests). */
    public static RecordLog.Opener journal(UnaryOperator<JournalOptions.Builder> options) {
        return directory -> JournalRecordLog.open(options.apply(JournalOptions.builder(directory)).build());
    }
}
