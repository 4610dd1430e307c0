package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The fire-and-forget settlements of one session gathered during one event-loop turn, so each kind reaches the
 * broker as one {@code Settle} instead of one frame per message:
 * <ul>
 *   <li>completions of AUTO_ACKNOWLEDGE and DUPS_OK ({@code COMPLETE});
 *   <li>{@code TAKEN} notices: the application was handed these messages, so losing their locks from now on
 *       counts as a delivery the application may have seen.
 * </ul>
 * Both go out at the end of the turn, or earlier, right before the session's next operation, so the broker sees
 * everything in call order. A notice is dropped when the same token's COMPLETE, ABANDON or DEAD_LETTER goes out in
 * the same flush: that settlement says more than the notice. A COMPLETE of a transacted session does not replace a
 * notice, since the transaction may still roll it back. Confined to the event loop.
 */
final class SettleBatch {
    private static final long[] NONE = new long[0];

    private final ClientSession session;
    private final boolean transacted;
    private final CompletionBatch completions = new CompletionBatch();
    /** Tokens handed to the application since the last flush, in the order they were handed out. */
    private final Set<Long> taken = new LinkedHashSet<>();
    private boolean flushScheduled;

    SettleBatch(ClientSession session, boolean transacted) {
        this.session = session;
        this.transacted = transacted;
    }

    /** Adds fire-and-forget completions; one that cannot be written is reported as a failed completion. */
    void complete(long[] tokens) {
        completions.add(tokens);
        scheduleFlush();
    }

    /** The application was handed the message of this lock. */
    void taken(long token) {
        if (taken.add(token)) {
            scheduleFlush();
        }
    }

    /**
     * An ordered settlement of these tokens is about to be written (before this batch is flushed): a notice for a
     * token it completes, abandons or dead-letters would say nothing more.
     */
    void settling(SettleOutcome outcome, long[] tokens) {
        switch (outcome) {
            case COMPLETE -> {
                if (!transacted) {
                    forgetTaken(tokens);
                }
            }
            case ABANDON, DEAD_LETTER -> forgetTaken(tokens);
            case RELEASE, RENEW, TAKEN -> {
                // a release or renewal does not tell the broker the application saw the message
            }
        }
    }

    boolean isEmpty() {
        return taken.isEmpty() && completions.isEmpty();
    }

    /**
     * Writes the gathered notices, then the gathered completions, one Settle each; reports the completions as failed
     * if the session is over or the Settle cannot be written.
     */
    void flush() {
        flushScheduled = false;
        if (isEmpty()) {
            return;
        }
        long[] completed = completions.takeTokens();
        if (!transacted) {
            forgetTaken(completed);
        }
        long[] notices = takeTaken();
        EngineException refused = session.refusal();
        if (refused != null) {
            session.settlements().completionsFailed(refused, completed);
            return;
        }
        TunnelClientConnection connection = session.connection();
        int channel = session.channel();
        if (notices.length > 0) {
            connection.writeOneWay(new Settle(channel, 0, SettleOutcome.TAKEN, notices, null), null);
        }
        if (completed.length > 0) {
            CompletableFuture<Void> written = new CompletableFuture<>(); // one per Settle, not per completion
            connection.writeOneWay(new Settle(channel, 0, SettleOutcome.COMPLETE, completed, null), written);
            written.exceptionally(e -> {
                session.settlements().completionsFailed(e, completed);
                return null;
            });
        }
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            session.connection().execute(this::flush); // after the tasks already queued: they may add more
        }
    }

    private void forgetTaken(long[] tokens) {
        if (!taken.isEmpty()) {
            for (long t : tokens) {
                taken.remove(t);
            }
        }
    }

    private long[] takeTaken() {
        long[] out = new long[taken.size()];
        int i = 0;
        for (Iterator<Long> it = taken.iterator(); it.hasNext(); ) {
            out[i++] = it.next();
        }
        taken.clear();
        return out;
    }
}
