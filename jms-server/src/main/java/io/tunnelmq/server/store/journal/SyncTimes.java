package io.tunnelmq.server.store.journal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long the journal's fsyncs took, in fixed buckets: whoever holds the {@link WriterTurn} adds one observation per
 * group commit (two clock reads and two atomic increments next to an fsync), readers take a snapshot when they want
 * one. Kept here so the journal needs no metrics library. Thread-safe.
 */
public final class SyncTimes {
    /** Bucket upper bounds in seconds: 50 µs (a battery-backed cache) to 1 s (a disk in trouble). */
    private static final double[] BOUNDS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25, 0.5, 1.0};

    /**
     * The fsyncs so far.
     *
     * @param upperBounds each bucket's upper bound in seconds, ascending (the last bucket, +Inf, is implied)
     * @param counts      fsyncs per bucket, not cumulative; one more entry than {@code upperBounds} (the +Inf one)
     * @param sumSeconds  their total duration
     */
    public record Snapshot(double[] upperBounds, long[] counts, double sumSeconds) {
        /** No fsyncs (a store that keeps nothing). */
        public static final Snapshot NONE = new Snapshot(BOUNDS.clone(), new long[BOUNDS.length + 1], 0);

        /** How many fsyncs in all. */
        public long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }
    }

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS.length + 1);
    private volatile long sumNanos;

    /** The turn's holder: one fsync took {@code nanos}. */
    void record(long nanos) {
        double seconds = nanos / 1e9;
        int bucket = 0;
        while (bucket < BOUNDS.length && seconds > BOUNDS[bucket]) {
            bucket++;
        }
        counts.incrementAndGet(bucket);
        sumNanos += nanos; // one writer at a time, ordered by the turn: volatile is enough for readers
    }

    public Snapshot snapshot() {
        long[] copy = new long[counts.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = counts.get(i);
        }
        return new Snapshot(BOUNDS.clone(), copy, sumNanos / 1e9);
    }
}
