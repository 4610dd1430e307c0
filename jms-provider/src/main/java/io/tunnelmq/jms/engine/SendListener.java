package io.tunnelmq.jms.engine;

/**
 * What becomes of one send, told without a future: the non-persistent sends of
 * {@link EngineSession#sendUnanswered} are the busiest path of a producer, and a future
 * per send (plus one per layer above the engine) costs each message an allocation and a compare-and-set on a cache
 * line the application's thread made.
 *
 * <p>{@link #onWritten} comes at most once, when the message fit the send window and was written into the
 * connection; then {@link #onConfirmed} when the broker took it (for a send the broker does not answer, right after
 * {@code onWritten}) or {@link #onFailed} when it was not sent or the broker refused it. {@code onFailed} may come
 * without {@code onWritten}. Called on the engine's event loop, or on the calling thread when the session has ended;
 * they must not block.
 */
public interface SendListener {

    /** The message fit the send window and was written into the connection. */
    void onWritten();

    /** The broker took the message (for a send it does not answer: it was written). */
    void onConfirmed();

    /** The message was not sent, or the broker refused it. */
    void onFailed(EngineException cause);
}
