package io.tunnelmq.server.store.postgres;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Claims whose answer never reached this broker (the connection failed under them): they may have committed, leasing
 * rows to this broker that it never heard of, which nobody else would claim while it lives. Each claim marks the rows
 * it leases with an id of its own ({@code claim_id}, schema version 5); a failed claim's id is kept here under its key
 * (a queue, or the expired messages), and the next claim of that key takes it and first reads those rows back. A claim
 * that fails puts back what it took. Thread-safe: two claims of one key never take the same id.
 */
final class LostClaims {
    private static final Long[] NONE = {};

    private final AtomicLong ids = new AtomicLong();
    private final Map<Object, Long[]> lost = new ConcurrentHashMap<>();

    /** An id for a new claim. */
    long next() {
        return ids.incrementAndGet();
    }

    /** Takes the ids of {@code key}'s lost claims (as SQL array items): this claim reads their rows back. */
    Long[] take(Object key) {
        Long[] taken = lost.remove(key);
        return taken == null ? NONE : taken;
    }

    /** Claim {@code claimId} of {@code key} failed, and with it the read of the lost ones it had {@code taken}. */
    void failed(Object key, long claimId, Long[] taken) {
        lost.merge(key, concat(new Long[] {claimId}, taken), LostClaims::concat);
    }

    private static Long[] concat(Long[] a, Long[] b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(Long[]::new);
    }
}
