package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.server.selector.Selector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A queue consumer that records its deliveries; also a lock owner that records lock ends. Public for the engine's
 * users' tests (the cluster's claim feeds).
 */
public final class TestConsumer implements QueueConsumer, LockOwner {
    private final String name;
    private final long lockDurationMillis;
    private final LockOwner owner;
    private final Selector selector;
    final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    /** Answers revocations as a client whose application took nothing: it releases them here (null: ignores them). */
    private volatile PeekLockQueue releasesTo;
    final List<Long> expiredTokens = new ArrayList<>();
    final List<Long> endedTokens = new ArrayList<>();

    public TestConsumer(String name) {
        this(name, 0, null);
    }

    /** @param owner the owner of its locks; null: itself */
    TestConsumer(String name, long lockDurationMillis, LockOwner owner) {
        this(name, lockDurationMillis, owner, null);
    }

    /** A consumer taking only what {@code selector} selects. */
    static TestConsumer selecting(String name, String selector) {
        return new TestConsumer(name, 0, null, Selector.compile(selector));
    }

    private TestConsumer(String name, long lockDurationMillis, LockOwner owner, Selector selector) {
        this.selector = selector;
        this.name = name;
        this.lockDurationMillis = lockDurationMillis;
        this.owner = owner;
    }

    @Override
    public Selector selector() {
        return selector;
    }

    @Override
    public LockOwner owner() {
        return owner != null ? owner : this;
    }

    @Override
    public long lockDurationMillis() {
        return lockDurationMillis;
    }

    @Override
    public void deliver(Delivery delivery) {
        deliveries.add(delivery);
    }

    @Override
    public synchronized void lockTaken(Delivery delivery) {
    }

    @Override
    public synchronized void lockEnded(long lockToken, boolean expired) {
        endedTokens.add(lockToken);
        if (expired) {
            expiredTokens.add(lockToken);
        }
    }

    /** The next delivery, which must already be there (the engine hands off synchronously in these tests). */
    Delivery take() {
        Delivery d = deliveries.poll();
        if (d == null) {
            throw new AssertionError(name + " has no delivery");
        }
        return d;
    }

    /** From now on it answers a revocation by releasing what it is asked for to {@code queue}. */
    public TestConsumer releasingTo(PeekLockQueue queue) {
        releasesTo = queue;
        return this;
    }

    @Override
    public void revoke(long[] lockTokens) {
        PeekLockQueue queue = releasesTo;
        if (queue != null) {
            for (long token : lockTokens) {
                queue.settle(this, token, SettleOutcome.RELEASE, null);
            }
        }
    }

    public Delivery await() throws InterruptedException {
        Delivery d = deliveries.poll(5, TimeUnit.SECONDS);
        if (d == null) {
            throw new AssertionError(name + " got no delivery within 5 s");
        }
        return d;
    }

    @Override
    public String toString() {
        return name;
    }
}
