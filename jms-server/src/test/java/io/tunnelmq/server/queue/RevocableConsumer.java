package io.tunnelmq.server.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A consumer that records the revocations asked of it and can be made unwritable. */
final class RevocableConsumer implements QueueConsumer, LockOwner {
    final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    final List<long[]> revoked = new ArrayList<>();
    final String name;
    volatile boolean writable = true;

    RevocableConsumer(String name) {
        this.name = name;
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
}
