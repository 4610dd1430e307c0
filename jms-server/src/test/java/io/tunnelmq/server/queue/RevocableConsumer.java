package io.tunnelmq.server.queue;

import io.tunnelmq.server.selector.Selector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A consumer, with a selector or none, that records its deliveries and the revocations asked of it and can be made
 * unwritable.
 */
final class RevocableConsumer implements QueueConsumer, LockOwner {
    final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    final List<long[]> revoked = new ArrayList<>();
    final String name;
    private final Selector selector;
    volatile boolean writable = true;

    RevocableConsumer(String name) {
        this(name, null);
    }

    private RevocableConsumer(String name, Selector selector) {
        this.name = name;
        this.selector = selector;
    }

    /** A consumer taking what {@code selector} selects (null: everything), named by it. */
    static RevocableConsumer selecting(String selector) {
        return new RevocableConsumer(selector == null ? "all" : selector, Selector.compile(selector));
    }

    @Override
    public Selector selector() {
        return selector;
    }

    @Override
    public LockOwner owner() {
        return this;
    }

    @Override
    public long lockDurationMillis() {
        return 0;
    }

    @Override
    public void deliver(Delivery delivery) {
        deliveries.add(delivery);
    }

    @Override
    public void lockTaken(Delivery delivery) {
    }

    @Override
    public void lockEnded(long lockToken, boolean expired) {
    }

    @Override
    public synchronized void revoke(long[] lockTokens) {
        revoked.add(lockTokens);
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    List<Long> revokedTokens() {
        List<Long> all = new ArrayList<>();
        for (long[] tokens : revoked) {
            for (long t : tokens) {
                all.add(t);
            }
        }
        return all;
    }

    /** The message ids of the deliveries it holds, in order. */
    List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (Delivery d : deliveries) {
            ids.add(d.message().messageId());
        }
        return ids;
    }
}
