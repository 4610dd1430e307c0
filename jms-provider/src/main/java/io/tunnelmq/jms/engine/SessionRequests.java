package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Browse;
import io.tunnelmq.protocol.frame.Browsed;
import io.tunnelmq.protocol.frame.Commit;
import io.tunnelmq.protocol.frame.CommitQuery;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Rollback;
import io.tunnelmq.protocol.frame.Unsubscribe;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The requests of one session that the broker answers (browse pages, unsubscribe, commit and rollback; sends are
 * {@link SessionSends})
 * and how each answer completes the caller's future. Callers have already put the request in call order
 * ({@link HeldOperations}). Confined to the event loop.
 */
final class SessionRequests {
    private final TunnelClientConnection connection;
    private final int channel;
    private final SessionLocks locks;

    SessionRequests(TunnelClientConnection connection, int channel, SessionLocks locks) {
        this.connection = connection;
        this.channel = channel;
        this.locks = locks;
    }

    void unsubscribe(String subscriptionName, CompletableFuture<Void> future) {
        connection.request(channel, "Unsubscribe '" + subscriptionName + "' on session " + channel,
                id -> new Unsubscribe(channel, id, subscriptionName), Reply.completing(future));
    }

    void browse(WireDestination queue, String selector, long cursor, int offset, int maxMessages,
                CompletableFuture<BrowsePage> future) {
        connection.request(channel, "Browse of " + queue + " on session " + channel,
                id -> new Browse(channel, id, queue, selector, offset, maxMessages, cursor), new Reply() {
                    @Override
                    public void ok(Ok ok) {
                        future.complete(new BrowsePage(List.of(), true));
                    }

                    @Override
                    public void browsed(Browsed page) {
                        future.complete(new BrowsePage(page.messages(), page.last(), page.cursor()));
                    }

                    @Override
                    public void failed(EngineException cause) {
                        future.completeExceptionally(cause);
                    }
                });
    }

    /**
     * Writes Commit ({@code commit} true, with the transaction id if not null) or Rollback of a transacted session.
     */
    void endTransaction(boolean commit, ProducerStamp transactionId, CompletableFuture<Void> future) {
        String what = commit ? "Commit" : "Rollback";
        Reply done = Reply.completing(future);
        connection.request(channel, what + " on session " + channel,
                id -> commit ? new Commit(channel, id, transactionId) : new Rollback(channel, id), new Reply() {
                    @Override
                    public void ok(Ok ok) {
                        locks.transactionEnded();
                        done.ok(ok);
                    }

                    @Override
                    public void failed(EngineException cause) {
                        // rolled back, or unknown after a timeout: the held completions are no longer ours to renew
                        locks.transactionEnded();
                        done.failed(cause);
                    }
                });
    }

    /** Writes CommitQuery: true if the broker answers Ok, false if TRANSACTION_ROLLED_BACK, else its error. */
    void commitQuery(ProducerStamp transactionId, CompletableFuture<Boolean> future) {
        connection.request(channel, "CommitQuery of transaction " + transactionId.sequence() + " on session " + channel,
                id -> new CommitQuery(channel, id, transactionId), new Reply() {
                    @Override
                    public void ok(Ok ok) {
                        future.complete(true);
                    }

                    @Override
                    public void failed(EngineException cause) {
                        if (cause.code() == ErrorCode.TRANSACTION_ROLLED_BACK) {
                            future.complete(false);
                        } else {
                            future.completeExceptionally(cause);
                        }
                    }
                });
    }
}
