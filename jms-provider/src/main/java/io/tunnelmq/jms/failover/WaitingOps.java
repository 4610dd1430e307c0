package io.tunnelmq.jms.failover;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The operations a failover connection holds while it is down: requests a loss cut (issued again first, they were
 * issued first) and requests issued while down, each in order. Not thread-safe: guarded by the lock of
 * {@link FailoverState}.
 */
final class WaitingOps {
    private final ArrayDeque<Op> retries = new ArrayDeque<>();
    private final ArrayDeque<Op> queued = new ArrayDeque<>();

    void retry(Op op) {
        retries.add(op);
    }

    void queue(Op op) {
        queued.add(op);
    }

    boolean isEmpty() {
        return retries.isEmpty() && queued.isEmpty();
    }

    /** Every operation held, retries first, and none is held any more. */
    List<Op> drain() {
        List<Op> ops = new ArrayList<>(retries.size() + queued.size());
        ops.addAll(retries);
        ops.addAll(queued);
        retries.clear();
        queued.clear();
        return ops;
    }
}
