package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.ProducerStamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The commit of a transacted failover session, with a known outcome even when the connection is lost before the
 * broker's answer. The commit carries a transaction id ({@link EngineSession#commit(ProducerStamp)}), which the
 * broker records in the commit's own store write. If the link is lost before the answer, the request waits for the
 * restore and then asks on the new link ({@link EngineSession#committed}):
 * <ul>
 *   <li>applied: the commit succeeds, which is the truth;</li>
 *   <li>not applied: it fails with {@code TRANSACTION_ROLLED_BACK} (the broker ended the old connection, abandoning
 *   the transaction's locks, so its received messages come again; its sends were dropped with it);</li>
 *   <li>the broker cannot tell (another store — a peer with its own data —, a broker without transaction ids, or
 *   one that no longer remembers the session): it fails with the loss ({@code CONNECTION_FAILED}), which the facade
 *   reports as an unknown outcome.</li>
 * </ul>
 * The answer is final when it comes, because it is asked only after the link right after the lost one resumed the
 * lost connection ({@code resume}) on a broker of the same store: the broker ends the old connection on its own event
 * loop before the new one reads anything, and a connection records a Commit's id the moment it reads it, so the
 * Commit was either read and recorded (the broker's answer waits for its store write) or is never applied. After a
 * broker restart the journal decides: the id survived iff the commit did. If that next link was lost before it could
 * ask, the outcome stays unknown.
 * Either way the session's next transaction starts clean.
 */
final class CommitRequest extends Op {
    private static final Logger log = LoggerFactory.getLogger(CommitRequest.class);

    private final FailoverSession session;
    private final FailoverConnection connection;
    private final ProducerStamp transactionId;
    private final CompletableFuture<Void> outer = new CompletableFuture<>();
    /** The link the Commit went out on, once it did; then later runs ask instead of committing. */
    private volatile Link sentOn;
    /** The loss that cut the Commit's answer, once it did. */
    private volatile EngineException cut;
    /** The broker ended the connection the Commit went on: the link after it resumed it on the same store. */
    private volatile boolean sentOnEnded;

    CommitRequest(FailoverSession session, ProducerStamp transactionId) {
        this.session = session;
        this.connection = session.connection();
        this.transactionId = transactionId;
    }

    /** The future the facade waits on. */
    CompletableFuture<Void> future() {
        return outer;
    }

    @Override
    void run(Link link) {
        if (sentOn == null) {
            commitOn(link);
        } else {
            askOn(link);
        }
    }

    @Override
    void fail(EngineException cause) {
        // given up or closed before the outcome was known: the loss says "unknown", the rest says why
        outer.completeExceptionally(cut == null ? cause : new EngineException(ErrorCode.CONNECTION_FAILED,
                cut.getMessage() + "; then " + cause.getMessage(), cause));
    }

    private void commitOn(Link link) {
        EngineSession inner;
        try {
            inner = session.inner(link);
        } catch (EngineException e) {
            outer.completeExceptionally(e);
            return;
        }
        if (session.transactionLost()) {
            // its work was on a lost link: the broker abandoned it already; start the next transaction clean
            session.clearTransaction();
            inner.rollback().whenComplete((v, e) -> outer.completeExceptionally(Failures.transactionLost()));
            return;
        }
        sentOn = link;
        inner.commit(transactionId).whenComplete((v, e) -> {
            if (e == null) {
                session.clearTransaction();
                outer.complete(null);
                return;
            }
            EngineException cause = EngineException.unwrap(e);
            if (!connection.isLoss(cause, link)) {
                if (cause.code() == ErrorCode.TRANSACTION_ROLLED_BACK) {
                    session.clearTransaction();
                }
                outer.completeExceptionally(cause);
                return;
            }
            cut = cause;
            if (link.inner.storeId() == null) {
                unknown("the broker names no store");
                return;
            }
            connection.retry(this, link); // ask once restored
        });
    }

    private void askOn(Link link) {
        String storeId = sentOn.inner.storeId();
        if (!Objects.equals(storeId, link.inner.storeId())) {
            unknown(link.address + " keeps another store than " + sentOn.address);
            return;
        }
        if (!sentOnEnded) {
            if (link.number != sentOn.number + 1) {
                // only the very next link resumed (and so ended) the Commit's connection; a later one may reach the
                // broker while that connection is still open there and its socket still holds the Commit
                unknown("the link after " + sentOn + " was lost before it could ask");
                return;
            }
            sentOnEnded = true;
        }
        EngineSession inner;
        try {
            inner = session.inner(link);
        } catch (EngineException e) {
            unknown("the session is not open on " + link + " (" + e.getMessage() + ")");
            return;
        }
        inner.committed(transactionId).whenComplete((committed, e) -> {
            if (e == null) {
                session.clearTransaction();
                if (committed) {
                    log.debug("transaction {} of session {}: the broker applied the commit whose answer was lost",
                            transactionId.sequence(), session.channel());
                    outer.complete(null);
                } else {
                    outer.completeExceptionally(Failures.commitNotApplied());
                }
                return;
            }
            EngineException cause = EngineException.unwrap(e);
            if (connection.isLoss(cause, link)) {
                connection.retry(this, link); // ask again on the next link
            } else {
                unknown(cause.getMessage());
            }
        });
    }

    /** Nobody can say whether the commit was applied: the facade reports the loss as an unknown outcome. */
    private void unknown(String why) {
        log.debug("transaction {} of session {}: the outcome of the cut commit is unknown: {}",
                transactionId.sequence(), session.channel(), why);
        session.clearTransaction();
        outer.completeExceptionally(cut);
    }
}
