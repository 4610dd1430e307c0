package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.frame.Browsed;
import io.tunnelmq.protocol.frame.LocksRenewed;
import io.tunnelmq.protocol.frame.Ok;

import java.util.concurrent.CompletableFuture;

/** What happens when a request is answered, refused, or given up on. Called on the event loop. */
interface Reply {

    /** The broker answered {@code Ok}. */
    void ok(Ok ok);

    /**
     * The broker answered a RENEW with the locks' new times. A success like {@link #ok}; replies that do not ask
     * for the times take it as one.
     */
    default void locksRenewed(LocksRenewed renewed) {
        ok(new Ok(renewed.channel(), renewed.requestId(), renewed.freeBytes()));
    }

    /** The broker answered a Browse with a page of messages. A success like {@link #ok}. */
    default void browsed(Browsed page) {
        ok(new Ok(page.channel(), page.requestId(), page.freeBytes()));
    }

    /** The broker answered with an error, the request timed out, or the connection or session ended. */
    void failed(EngineException cause);

    /** The request reached the socket. */
    default void written() {
    }

    /** Completes {@code future} with the answer. */
    static Reply completing(CompletableFuture<Void> future) {
        return new Reply() {
            @Override
            public void ok(Ok ok) {
                future.complete(null);
            }

            @Override
            public void failed(EngineException cause) {
                future.completeExceptionally(cause);
            }
        };
    }
}
