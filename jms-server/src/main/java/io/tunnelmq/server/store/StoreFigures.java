package io.tunnelmq.server.store;

import io.tunnelmq.server.store.journal.SyncTimes;

/**
 * A persistent store's figures for monitoring.
 *
 * @param persistent   whether the store keeps anything (false: the figures are all zero)
 * @param diskBytes    bytes its files hold on disk now
 * @param bytesWritten bytes written since the broker started
 * @param fsyncs       how long its fsyncs took
 * @param diskFree     bytes still free for it on its file system (what the operating system lets the broker use)
 */
public record StoreFigures(boolean persistent, long diskBytes, long bytesWritten, SyncTimes.Snapshot fsyncs,
                           long diskFree) {
    /** The figures of a store that keeps nothing. */
    public static final StoreFigures NONE = new StoreFigures(false, 0, 0, SyncTimes.Snapshot.NONE, 0);
}
