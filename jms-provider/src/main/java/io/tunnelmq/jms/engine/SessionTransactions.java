package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.ProducerStamp;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The transaction operations of one session: commit, rollback, and asking the broker whether a commit cut off by a
 * lost connection was applied. Called from any thread; each goes to the event loop in call order with the session's
 * other operations, where {@link SessionRequests} writes it and waits for the answer.
 */
final class SessionTransactions {
    private final ClientSession session;
    private final SessionRequests requests;

    SessionTransactions(ClientSession session, SessionRequests requests) {
        this.session = session;
        this.requests = requests;
    }

    /** Commit ({@code commit} true) or rollback; {@code transactionId} names a commit so it can be asked about. */
    CompletableFuture<Void> end(boolean commit, ProducerStamp transactionId) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (!session.isTransacted()) {
            // completed on the loop like every other engine future
            session.execute(() -> future.completeExceptionally(new EngineException(ErrorCode.ILLEGAL_STATE,
                    (commit ? "Commit" : "Rollback") + " is only allowed on a transacted session; session "
                            + session.channel() + " is not transacted")));
            return future;
        }
        session.ordered(future, () -> requests.endTransaction(commit, transactionId, future));
        return future;
    }

    /** {@link EngineSession#committed}. */
    CompletableFuture<Boolean> committed(ProducerStamp transactionId) {
        Objects.requireNonNull(transactionId, "transactionId");
        CompletableFuture<Boolean> future = new CompletableFuture<>();
        if (session.connection().storeId() == null) {
            session.execute(() -> future.completeExceptionally(new EngineException(ErrorCode.ILLEGAL_STATE,
                    "the broker names no message store, so it cannot say whether a commit was applied")));
            return future;
        }
        session.ordered(future, () -> requests.commitQuery(transactionId, future));
        return future;
    }
}
