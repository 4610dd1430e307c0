package io.tunnelmq.server.store;

import java.util.concurrent.atomic.AtomicLong;

/** Issues store ids: broker-wide, monotonic, continuing after the highest id recovery found. Thread-safe. */
public final class StoreIds {
    private final AtomicLong last = new AtomicLong();

    /** The next id; never 0 (0 marks "not stored"). */
    public long next() {
        return last.incrementAndGet();
    }

    /** Recovery saw this id: later ids are higher. */
    public void recovered(long id) {
        last.accumulateAndGet(id, Math::max);
    }

    /** The last id issued or recovered. */
    public long last() {
        return last.get();
    }
}
