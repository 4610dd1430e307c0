package io.tunnelmq.server.cluster;

import io.tunnelmq.server.store.SharedQueues;

import java.util.HashMap;
import java.util.Map;

/**
 * The messages a purge across the brokers named as held by this broker, for those whose claim had not reached the
 * queue when the purge was heard: a claim that committed just before the purge but is still on its way (or whose
 * answer was lost, read back by a later claim) brings them afterwards, and they were waiting at the purge, never seen
 * by a consumer, so they go instead of being queued. A message is known by its store id <em>and</em> the claim that
 * leased it: one handed back and claimed again since has a new claim and stays.
 *
 * <p>What a purge names is kept until two claims have come back after it (the one on its way then, and the next,
 * which reads back lost claims first; a feed has one claim in flight at a time), or for {@link #KEEP_MILLIS} when
 * no claim comes (a queue whose consumers left). Thread-safe.
 */
final class PurgedClaims {
    /** Claims to come back before what a purge named is forgotten. */
    private static final int CLAIMS_TO_WAIT = 2;
    /** How long what a purge named is kept at most. */
    static final long KEEP_MILLIS = 60_000;

    /** Store id to the claim that leased it, of what purges named. */
    private final Map<Long, Long> named = new HashMap<>();
    private int claimsLeft;
    /** Counts the purges heard, so that only the last one's {@link #forget} clears. */
    private long purges;

    /**
     * A purge named these as held here: those still to come are dropped when they do.
     *
     * @return what {@link #forget} takes after {@link #KEEP_MILLIS}
     */
    synchronized long named(SharedQueues.HeldBefore held) {
        long[] ids = held.storeIds();
        long[] claims = held.claimIds();
        for (int i = 0; i < ids.length; i++) {
            if (claims[i] != 0) {
                named.put(ids[i], claims[i]);
            }
        }
        if (!named.isEmpty()) {
            claimsLeft = CLAIMS_TO_WAIT;
        }
        return ++purges;
    }

    /** {@link #KEEP_MILLIS} after the purge {@code purge}: forgets what it named, unless a later purge came. */
    synchronized void forget(long purge) {
        if (purge == purges) {
            named.clear();
            claimsLeft = 0;
        }
    }

    /** Whether {@code claimed} came with a claim a purge named: it goes, not to the queue. */
    synchronized boolean purged(SharedQueues.Claimed claimed) {
        if (named.isEmpty()) {
            return false;
        }
        Long claim = named.get(claimed.id());
        return claim != null && claim == claimed.claimId() && named.remove(claimed.id()) != null;
    }

    /** A claim came back (after its messages went through {@link #purged}). */
    synchronized void claimReturned() {
        if (claimsLeft > 0 && --claimsLeft == 0) {
            named.clear();
        }
    }
}
