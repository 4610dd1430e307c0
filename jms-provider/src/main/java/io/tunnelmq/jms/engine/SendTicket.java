package io.tunnelmq.jms.engine;

import java.util.concurrent.CompletableFuture;

/**
 * The two moments of a send.
 *
 * @param written   completes when the message fit the send window and was written to the socket (a
 *                  non-persistent send returns here, so producers are paced by the window)
 * @param confirmed completes on the broker's acknowledgement (a persistent send returns here; completion
 *                  listeners fire here); fails with the broker's error
 */
public record SendTicket(CompletableFuture<Void> written, CompletableFuture<Void> confirmed) {
}
