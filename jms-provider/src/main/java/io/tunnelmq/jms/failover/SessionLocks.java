package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.jms.engine.FailedCompletions;
import io.tunnelmq.jms.engine.LockOutcome;

import io.tunnelmq.protocol.TokenMap;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The locks of one {@link FailoverSession}: settles, renewals and hand-out notices go to the inner session of the link
 * that issued the lock ({@link LockTokens}); a lock of a lost link is dead — settling it fails naming it, a renewal
 * reports it as no longer held, a notice about it is dropped. Remembers the deliveries the facade holds, so that a
 * message the application saw is counted as seen ({@link FailoverConsumer#seen}) when the broker is told of it on a
 * new link.
 */
final class SessionLocks {
    private final FailoverConnection connection;
    /**
     * Deliveries of the current link not yet handed out or settled: outer token → who and which message. Guarded by
     * itself: the event loop adds, the application's threads hand out and settle. A {@link TokenMap}, so a delivery
     * adds no boxed token and no map node.
     */
    private final TokenMap<Held> held = new TokenMap<>();
    private final FailedCompletions failedCompletions = new FailedCompletions();

    SessionLocks(FailoverConnection connection) {
        this.connection = connection;
    }

    /** Whether a settlement with this outcome is of a message the application was given. */
    static boolean seenByApplication(LockOutcome outcome) {
        return switch (outcome) {
            case COMPLETE, ABANDON, DEAD_LETTER -> true;
            case RELEASE -> false;
        };
    }

    CompletableFuture<Void> settle(Bound<EngineSession> b, LockOutcome outcome, long[] lockTokens, String reason,
                                   boolean awaitReply) {
        forget(lockTokens, seenByApplication(outcome));
        Link link = b.live() ? b.link() : null;
        int current = LockTokens.countOf(link, lockTokens);
        if (current == 0) {
            if (awaitReply) {
                return CompletableFuture.failedFuture(Failures.locksLost(lockTokens));
            }
            keepLostCompletions(outcome, lockTokens);
            return CompletableFuture.completedFuture(null);
        }
        long[] inner = LockTokens.innerOf(link, lockTokens, current);
        long[] old = LockTokens.othersOf(link, lockTokens, current);
        return b.inner().settle(outcome, inner, reason, awaitReply).handle((v, e) -> {
            if (e != null) {
                EngineException cause = EngineException.unwrap(e);
                if (connection.isLoss(cause, link)) {
                    if (awaitReply) {
                        throw Failures.locksLost(lockTokens);
                    }
                    keepLostCompletions(outcome, lockTokens); // told at the next acknowledge, if any
                    return null;
                }
                long[] unsettled = concat(LockTokens.outer(link, cause.lockTokens()), old);
                throw new EngineException(cause.code(), cause.getMessage(), unsettled);
            }
            if (awaitReply && old.length > 0) {
                throw Failures.locksLost(old);
            }
            keepLostCompletions(outcome, old);
            return null;
        });
    }

    /**
     * {@link EngineSession#completeUnanswered}: no future on either side; a completion of a lost link's lock is kept
     * for {@link #takeFailedCompletions}, and the inner session keeps those that fail on the current one.
     */
    void completeUnanswered(Bound<EngineSession> b, long[] lockTokens) {
        forget(lockTokens, true);
        Link link = b.live() ? b.link() : null;
        int current = LockTokens.countOf(link, lockTokens);
        if (current < lockTokens.length) {
            keepLostCompletions(LockOutcome.COMPLETE, LockTokens.othersOf(link, lockTokens, current));
        }
        if (current > 0) {
            b.inner().completeUnanswered(LockTokens.innerOf(link, lockTokens, current));
        }
    }

    /**
     * Forgets the deliveries of these locks; those the application saw are counted as seen: a completion goes without
     * a hand-out notice and, but for a persistent one, without waiting, so if the broker dies before it stores it, the
     * message comes again, and the new broker must be told the application saw it.
     */
    private void forget(long[] outerTokens, boolean seenByApplication) {
        for (long t : outerTokens) {
            Held h = forget(t);
            if (h != null && seenByApplication) {
                h.consumer().seen(h.messageId());
            }
        }
    }

    /**
     * A settle nobody waits for named locks of a lost link: a completion among them is kept for
     * {@link #takeFailedCompletions}, as the broker's report of a lost lock would be (the other outcomes need no word).
     */
    private void keepLostCompletions(LockOutcome outcome, long[] outerTokens) {
        if (outcome == LockOutcome.COMPLETE && outerTokens.length > 0) {
            failedCompletions.add(Failures.locksLost(outerTokens));
        }
    }

    /** The completions sent without waiting that failed, in the facade's tokens: lost with a link, or reported. */
    EngineException takeFailedCompletions(Bound<EngineSession> b) {
        keepInnerFailures(b);
        return failedCompletions.take();
    }

    /** Keeps what the inner session reports of its failed completions, in the facade's tokens. */
    private void keepInnerFailures(Bound<EngineSession> b) {
        EngineException reported = b.inner().takeFailedCompletions();
        if (reported != null) {
            failedCompletions.add(new EngineException(reported.code(), reported.getMessage(),
                    LockTokens.outer(b.link(), reported.lockTokens())));
        }
    }

    void handedOut(Bound<EngineSession> b, long lockToken) {
        Held h = forget(lockToken);
        if (h != null) {
            h.consumer().seen(h.messageId());
        }
        if (b.live() && LockTokens.generation(lockToken) == b.link().number) {
            b.inner().handedOut(LockTokens.inner(lockToken));
        }
    }

    CompletableFuture<long[]> renew(Bound<EngineSession> b, long[] lockTokens) {
        Link link = b.live() ? b.link() : null;
        int current = LockTokens.countOf(link, lockTokens);
        if (current == 0) {
            return CompletableFuture.completedFuture(new long[lockTokens.length]);
        }
        return b.inner().renewLocks(LockTokens.innerOf(link, lockTokens, current)).handle((until, e) -> {
            long[] all = new long[lockTokens.length]; // 0 for a lock of a lost link: no longer held
            if (e != null) {
                EngineException cause = EngineException.unwrap(e);
                if (connection.isLoss(cause, link)) {
                    return all;
                }
                throw cause;
            }
            for (int i = 0, n = 0; i < lockTokens.length; i++) {
                if (LockTokens.generation(lockTokens[i]) == link.number) {
                    all[i] = until[n++];
                }
            }
            return all;
        });
    }

    static long lockedUntil(Bound<EngineSession> b, long lockToken) {
        return b.live() && LockTokens.generation(lockToken) == b.link().number
                ? b.inner().lockedUntil(LockTokens.inner(lockToken)) : 0;
    }

    /** A delivery reached the facade: remembered until handed out or settled, for the seen ids. */
    void delivered(long outerToken, FailoverConsumer consumer, String messageId) {
        Held h = new Held(consumer, messageId);
        synchronized (held) {
            held.put(outerToken, h);
        }
    }

    /** The facade dropped this delivery unseen, its lock lost: no longer held (nor released: the broker has it). */
    void dropped(long outerToken) {
        forget(outerToken);
    }

    /** How many deliveries are held (not yet handed out, settled, released or dropped). */
    int heldCount() {
        synchronized (held) {
            return held.size();
        }
    }

    /** The facade released these unseen: no longer held. */
    void released(long[] outerTokens) {
        synchronized (held) {
            for (long t : outerTokens) {
                held.remove(t);
            }
        }
    }

    /**
     * The link was lost, and every lock with it. Completions its inner session could not write are kept, with the
     * facade's tokens, for {@link #takeFailedCompletions}: the session is bound to a new link before the next one.
     */
    void clear(Bound<EngineSession> lost) {
        synchronized (held) {
            held.clear();
        }
        keepInnerFailures(lost);
    }

    private Held forget(long outerToken) {
        synchronized (held) {
            return held.remove(outerToken);
        }
    }

    private static long[] concat(long[] a, long[] b) {
        if (b.length == 0) {
            return a;
        }
        long[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** A delivery the facade holds: its consumer and JMSMessageID. */
    private record Held(FailoverConsumer consumer, String messageId) {
    }
}
