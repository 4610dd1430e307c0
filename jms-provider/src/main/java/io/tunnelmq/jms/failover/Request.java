package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineException;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A request with one answer (open a session, create a consumer, browse, commit...): issued on a link, its outer
 * future completes with the inner answer; if the link is lost before the answer it is retried after restore, or
 * completed or failed there, as the operation's {@link OnLoss} says.
 */
final class Request<T> extends Op {

    /** What a request in flight does when its link is lost. */
    enum OnLoss {
        /** Issue it again after restore. */
        RETRY,
        /** Complete with the request's fallback value (nothing left to do on the broker). */
        COMPLETE,
        /** Fail with the inner error (its outcome is unknown). */
        FAIL
    }

    private final FailoverConnection connection;
    private final Function<Link, CompletableFuture<T>> call;
    private final CompletableFuture<T> outer;
    private final OnLoss onLoss;
    private final T fallback;

    Request(FailoverConnection connection, Function<Link, CompletableFuture<T>> call, OnLoss onLoss, T fallback) {
        this.connection = connection;
        this.call = call;
        this.outer = new CompletableFuture<>();
        this.onLoss = onLoss;
        this.fallback = fallback;
    }

    /** The future the facade waits on. */
    CompletableFuture<T> future() {
        return outer;
    }

    @Override
    void run(Link link) {
        CompletableFuture<T> inner;
        try {
            inner = call.apply(link);
        } catch (EngineException e) {
            inner = CompletableFuture.failedFuture(e);
        }
        inner.whenComplete((value, error) -> {
            if (error == null) {
                outer.complete(value);
                return;
            }
            EngineException cause = EngineException.unwrap(error);
            if (!connection.isLoss(cause, link)) {
                outer.completeExceptionally(cause);
                return;
            }
            switch (onLoss) {
                case RETRY -> connection.retry(this, link);
                case COMPLETE -> outer.complete(fallback);
                case FAIL -> outer.completeExceptionally(cause);
            }
        });
    }

    @Override
    void fail(EngineException cause) {
        outer.completeExceptionally(cause);
    }
}
