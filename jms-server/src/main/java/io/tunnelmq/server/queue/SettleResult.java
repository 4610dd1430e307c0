package io.tunnelmq.server.queue;

/** The outcome of settling one lock token. Any result but {@link #OK} changed nothing. */
public enum SettleResult {
    /** The settlement was applied. */
    OK,
    /** The token was never issued, is already settled, or belongs to another owner. */
    UNKNOWN_LOCK_TOKEN,
    /** The lock had expired; the message was already made available again (or dead-lettered). */
    LOCK_EXPIRED
}
