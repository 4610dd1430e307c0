package io.tunnelmq.jms.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An operation of a session that must reach the broker in call order. It is written at once unless the
 * session has a send waiting for window, in which case it waits behind that send.
 */
interface SessionOp {

    /** Writes the operation's frames. Called on the event loop. */
    void write();

    /** The operation will never be written: the session or connection ended first. */
    void fail(EngineException cause);

    /** An operation whose outcome is {@code future}. */
    static SessionOp of(Runnable write, CompletableFuture<?> future) {
        return of(write, future::completeExceptionally);
    }

    static SessionOp of(Runnable write, Consumer<EngineException> onFail) {
        return new SessionOp() {
            @Override
            public void write() {
                write.run();
            }

            @Override
            public void fail(EngineException cause) {
                onFail.accept(cause);
            }
        };
    }
}
