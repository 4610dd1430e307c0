package io.tunnelmq.protocol.net;

/**
 * Where the heartbeat ticks of a connection fall, on the client and on the broker alike. A tick per connection on
 * its own phase would wake the event loop once per connection; ticks on one grid for all (as they were) share those
 * wake-ups, but then every idle connection of a loop beats in the same burst: beside 10,000 idle connections a busy
 * connection on the same loops stalled for each burst (the p99.9 latency of a 1->1 pair running flat out beside them
 * was 110-200 ms, against 43-47 ms with heartbeats off). So the grid has {@link #SLOTS} slots per tick, and
 * a loop's connections take them in turn ({@link LoopTicks}): a loop wakes at most {@code SLOTS} times a tick, each
 * time for a {@code SLOTS}th of its connections (the same pair: 53-55 ms; the idle connections cost the same CPU).
 */
final class TickSlots {
    /** Slots per tick. */
    static final int SLOTS = 64;

    private TickSlots() {
    }

    /** The phase of the ticks of slot {@code n} within a tick (any unit). */
    static long phase(long tick, int n) {
        return tick * Math.floorMod(n, SLOTS) / SLOTS;
    }

    /**
     * How long from {@code now} until the first tick of a connection whose ticks fall at {@code phase} past each
     * multiple of {@code tick} (one unit for all three): more than 0, at most one tick.
     */
    static long firstDelay(long now, long tick, long phase) {
        long delay = Math.floorMod(phase - now, tick);
        return delay == 0 ? tick : delay;
    }
}
