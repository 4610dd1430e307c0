package io.tunnelmq.jms.engine;

import java.util.concurrent.CompletableFuture;

/**
 * The two moments of a send, as futures (a {@link SendListener} that completes them).
 *
 * @param written   completes when the message fit the send window and was written into the connection (for an
 *                  answered send, to the socket; for an unanswered one, into its outbound buffer: a non-persistent
 *                  send returns here, so producers are paced by the window)
 * @param confirmed completes on the broker's acknowledgement (a persistent send returns here; completion
 *                  listeners fire here); fails with the broker's error
 */
public record SendTicket(CompletableFuture<Void> written, CompletableFuture<Void> confirmed) implements SendListener {

    /** A ticket of two futures, neither complete. */
    public static SendTicket open() {
        return new SendTicket(new CompletableFuture<>(), new CompletableFuture<>());
    }

    /** Tells the listener what becomes of this ticket's send, as its futures complete. */
    public void tell(SendListener listener) {
        written.whenComplete((v, e) -> {
            if (e == null) {
                listener.onWritten();
            }
        });
        confirmed.whenComplete((v, e) -> {
            if (e == null) {
                listener.onConfirmed();
            } else {
                listener.onFailed(EngineException.unwrap(e));
            }
        });
    }

    @Override
    public void onWritten() {
        written.complete(null);
    }

    @Override
    public void onConfirmed() {
        written.complete(null);
        confirmed.complete(null);
    }

    @Override
    public void onFailed(EngineException cause) {
        written.completeExceptionally(cause);
        confirmed.completeExceptionally(cause);
    }
}
