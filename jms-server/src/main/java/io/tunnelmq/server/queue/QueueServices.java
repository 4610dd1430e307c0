package io.tunnelmq.server.queue;

import io.tunnelmq.server.store.pages.PagedMessages;

import java.util.Objects;

/**
 * What every queue of a broker shares.
 *
 * @param timer       lock expiry and scheduled delivery
 * @param tokens      lock token issuer
 * @param memory      the broker-wide memory account
 * @param deadLetters where dead-lettered messages go (and expired ones, to the expiry queue)
 * @param expiryQueue the queue expired messages are moved to, or null to drop them
 * @param stored      told when a stored message's delivery count changes or it is dropped
 * @param pages       where messages paged out of memory go ({@link PagedMessages#NONE}: no paging)
 * @param disk        the bytes of messages kept on disk (stored or paged out) against the disk limit
 */
public record QueueServices(QueueTimer timer, LockTokens tokens, MemoryTracker memory, DeadLetterSink deadLetters,
                            String expiryQueue, StoredMessageEvents stored, PagedMessages pages, MemoryTracker disk) {

    /** Services of a broker that does not page. */
    public QueueServices(QueueTimer timer, LockTokens tokens, MemoryTracker memory, DeadLetterSink deadLetters,
                         String expiryQueue, StoredMessageEvents stored) {
        this(timer, tokens, memory, deadLetters, expiryQueue, stored, PagedMessages.NONE);
    }

    /** Services without a disk limit. */
    public QueueServices(QueueTimer timer, LockTokens tokens, MemoryTracker memory, DeadLetterSink deadLetters,
                         String expiryQueue, StoredMessageEvents stored, PagedMessages pages) {
        this(timer, tokens, memory, deadLetters, expiryQueue, stored, pages, new MemoryTracker(Long.MAX_VALUE));
    }

    /** Services of a broker that stores nothing. */
    public QueueServices(QueueTimer timer, LockTokens tokens, MemoryTracker memory, DeadLetterSink deadLetters,
                         String expiryQueue) {
        this(timer, tokens, memory, deadLetters, expiryQueue, StoredMessageEvents.NONE);
    }

    /** Services that drop expired messages. */
    public QueueServices(QueueTimer timer, LockTokens tokens, MemoryTracker memory, DeadLetterSink deadLetters) {
        this(timer, tokens, memory, deadLetters, null);
    }

    public QueueServices {
        Objects.requireNonNull(timer, "timer");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(deadLetters, "deadLetters");
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(pages, "pages");
        Objects.requireNonNull(disk, "disk");
        if (expiryQueue != null && expiryQueue.isBlank()) {
            expiryQueue = null;
        }
    }
}
