package io.tunnelmq.server.queue;

/**
 * How a lock owner went ({@link PeekLockQueue#returnAll}), which decides what its unseen locks count as. The client
 * tells the broker of every message it hands to its application (Settle TAKEN), so the broker knows what was seen
 * only as far as it heard from the client.
 */
public enum OwnerGone {
    /**
     * Closed, or lost while the broker still heard from its connection: a lock the client never said it handed out
     * was not seen, and is released with its count unchanged.
     */
    HEARD,
    /**
     * Lost after its connection fell silent: the client may have gone on handing out its buffer, and its notices
     * never arrived, so every lock counts as seen (abandoned: count raised, flagged redelivered).
     */
    SILENT
}
