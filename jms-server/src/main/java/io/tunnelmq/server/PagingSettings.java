package io.tunnelmq.server;

/**
 * Paging: past the memory limits, queues keep new messages on disk (stored ones in the journal, the others in the
 * page file {@code <data>/pages}) with a small entry in memory, instead of holding producers back. Needs the journal
 * store (a data directory). Producers are then held back by the disk: once the messages the broker keeps on disk
 * reach {@code maxDiskBytes}, their send windows close until messages leave.
 *
 * @param enabled      whether queues page (default true; off: the memory limits hold producers back, as they did
 *                     before paging)
 * @param maxDiskBytes the most bytes of messages kept on disk (journal and page file); 0 (default) = 90 % of the free
 *                     space of the data directory's file system when the broker starts
 */
public record PagingSettings(boolean enabled, long maxDiskBytes) {
    /** Paging on, the disk limit from the free space. */
    public static final PagingSettings DEFAULTS = new PagingSettings(true, 0);
    /** Share of the free space the default disk limit allows. */
    public static final double DEFAULT_DISK_SHARE = 0.9;

    public PagingSettings {
        if (maxDiskBytes < 0) {
            throw new IllegalArgumentException("maxDiskBytes must be >= 0 (0 = " + (int) (DEFAULT_DISK_SHARE * 100)
                    + " % of the free space of the data directory), was " + maxDiskBytes);
        }
    }

    /** The disk limit for a data directory with {@code freeBytes} free (and {@code usedBytes} of messages already). */
    public long diskLimit(long freeBytes, long usedBytes) {
        return maxDiskBytes > 0 ? maxDiskBytes : Math.max(1, (long) ((freeBytes + usedBytes) * DEFAULT_DISK_SHARE));
    }
}
