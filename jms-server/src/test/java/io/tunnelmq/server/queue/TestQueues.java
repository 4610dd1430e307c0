package io.tunnelmq.server.queue;

/** Queues for engine tests: on a test's own timer, with memory to spare and no dead-letter destination to feed. */
final class TestQueues {
    /** Far more than any test enqueues: the memory limit never decides anything here. */
    private static final long UNLIMITED = 1L << 40;

    private TestQueues() {
    }

    /** A queue named {@code name} (dead letters to {@code DLQ.<name>}, dropped) that keeps time by {@code timer}. */
    static PeekLockQueue queue(String name, QueueTimer timer, QueueSettings settings) {
        return new PeekLockQueue(name, "DLQ." + name, settings,
                new QueueServices(timer, new LockTokens(), new MemoryTracker(UNLIMITED), (dlq, m) -> { }));
    }
}
