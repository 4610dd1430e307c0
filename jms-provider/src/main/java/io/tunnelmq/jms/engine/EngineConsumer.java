package io.tunnelmq.jms.engine;

import java.util.concurrent.CompletableFuture;

/** A consumer on a session channel. The facade buffers deliveries; the engine manages credit. */
public interface EngineConsumer {

    /** The consumer id on its session. */
    int consumerId();

    /**
     * The application took {@code count} messages of {@code bytes} bytes in all ({@code WireMessage.sizeEstimate()})
     * out of the facade's buffer, or the facade released them unseen. The engine grants the broker more credit
     * once half the prefetch (in messages or in bytes) has been taken, so credit follows the application, not
     * the network. Thread-safe.
     */
    void taken(int count, long bytes);

    /** With prefetch 0: ask the broker for one message (one credit). Thread-safe. */
    void pull();

    /**
     * Gives the broker the prefetch credit a consumer created with its credit held did not get. Idempotent; does
     * nothing for a consumer whose credit was not held. Thread-safe.
     */
    void startDelivery();

    /**
     * Closes the consumer: first releases (without raising their delivery count) the buffered messages the
     * application never saw, then closes it on the broker. Idempotent.
     *
     * @param unseenLockTokens lock tokens of messages still in the facade's buffer
     */
    CompletableFuture<Void> close(long[] unseenLockTokens);
}
