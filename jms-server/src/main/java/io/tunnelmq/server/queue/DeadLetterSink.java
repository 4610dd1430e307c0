package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;

/** Where a queue sends the messages it dead-letters. Called outside the queue's lock. */
@FunctionalInterface
public interface DeadLetterSink {

    /**
     * Stores a dead-lettered message.
     *
     * @param deadLetterQueue the queue to put it on ({@code DLQ.<origin>})
     * @param message         the message, already addressed to that queue and carrying the reason properties
     */
    void deadLetter(String deadLetterQueue, WireMessage message);

    /**
     * Moves a dead-lettered (or expired) message: the copy goes to {@code deadLetterQueue} and, in the same atomic
     * store write, the stored original {@code sourceStoreId} is deleted.
     *
     * @param sourceStoreId the original's store id, 0 if it was not stored
     */
    default void deadLetter(String deadLetterQueue, WireMessage message, long sourceStoreId) {
        deadLetter(deadLetterQueue, message);
    }
}
