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
     * Starts (or restarts) deliveries to a consumer created with its credit held or stopped by
     * {@link #stopDelivery()}: its credit becomes exactly the prefetch ({@code Credit(SET, prefetch,
     * prefetchBytes)}); a consumer without prefetch asks again with {@link #pull()}. Idempotent; does nothing for a
     * consumer that is not stopped. Thread-safe.
     */
    void startDelivery();

    /**
     * Stops deliveries (Connection.stop()): sets the consumer's credit to 0 ({@code Credit(SET, 0, 0)}), then
     * releases, delivery count unchanged, what the facade gives up from its buffer
     * ({@link DeliveryListener#onStop()}); deliveries that arrive while stopped are released at once. The credit
     * owed so far is forgotten. Completes once the broker answered the release (at once if nothing was buffered).
     * Thread-safe.
     */
    CompletableFuture<Void> stopDelivery();

    /**
     * The facade dropped a buffered message whose lock was lost before the application saw it: the broker holds
     * such a consumer as "declined" and delivers nothing more to it until it hears from it ({@link #waiting()} or
     * any credit). Thread-safe.
     */
    void declined();

    /**
     * The application waits on an empty buffer (a receive about to block, a listener with nothing to deliver). If
     * the consumer declined messages since its last credit (released in answer to a revocation, or dropped after
     * a lost lock), tells the broker once with {@code Credit(WAITING)}, carrying the credit owed; otherwise does
     * nothing. Thread-safe and cheap: call it every time the application is about to wait.
     */
    void waiting();

    /**
     * Closes the consumer: first releases (without raising their delivery count) the buffered messages the
     * application never saw, then closes it on the broker. Idempotent.
     *
     * @param unseenLockTokens lock tokens of messages still in the facade's buffer
     */
    CompletableFuture<Void> close(long[] unseenLockTokens);
}
