package io.tunnelmq.jms.engine;

import java.util.concurrent.CompletableFuture;

/**
 * The two moments of a send.
 *
 * @param written   completes when the message fit the send window and was written into the connection (for an
 *                  answered send, to the socket; for an unanswered one, into its outbound buffer: a non-persistent
 *                  send returns here, so producers are paced by the window)
 * @param confirmed completes on the broker's acknowledgement (a persistent send returns here; completion
 *                  listeners fire here); fails with the broker's error
 */
public record SendTicket(CompletableFuture<Void> written, CompletableFuture<Void> confirmed) {

    /** The ticket of a send that is confirmed once written (the broker answers only a refusal): one future for both. */
    public static SendTicket once(CompletableFuture<Void> written) {
        return new SendTicket(written, written);
    }

    /** Whether the send is confirmed once written: {@link #written} and {@link #confirmed} are one future. */
    public boolean confirmedOnceWritten() {
        return written == confirmed;
    }
}
