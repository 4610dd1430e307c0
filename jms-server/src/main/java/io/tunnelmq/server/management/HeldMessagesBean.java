package io.tunnelmq.server.management;

import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.QueueFigures;

/**
 * {@link HeldMessages} over one peek-lock queue (a queue's, or a subscription's): each figure is a fresh look at the
 * queue (one short visit under its lock); the operations go through {@link Management} by the name operators know.
 */
abstract class HeldMessagesBean implements HeldMessages {
    final PeekLockQueue queue;
    final Management management;
    private final String name;

    HeldMessagesBean(PeekLockQueue queue, String name, Management management) {
        this.queue = queue;
        this.name = name;
        this.management = management;
    }

    private QueueFigures figures() {
        return queue.figures();
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public long getMessages() {
        return figures().stats().depth();
    }

    @Override
    public long getAvailable() {
        return figures().stats().available();
    }

    @Override
    public long getLocked() {
        return figures().stats().locked();
    }

    @Override
    public long getScheduled() {
        return figures().stats().scheduled();
    }

    @Override
    public long getPaged() {
        return figures().stats().pagedOut();
    }

    @Override
    public int getConsumers() {
        return figures().stats().consumers();
    }

    @Override
    public long getBytes() {
        return figures().stats().bytes();
    }

    @Override
    public long getEnqueued() {
        return figures().totals().enqueued();
    }

    @Override
    public long getDelivered() {
        return figures().totals().delivered();
    }

    @Override
    public long getCompleted() {
        return figures().totals().completed();
    }

    @Override
    public long getAbandoned() {
        return figures().totals().abandoned();
    }

    @Override
    public long getLockExpired() {
        return figures().totals().lockExpired();
    }

    @Override
    public long getExpired() {
        return figures().totals().expired();
    }

    @Override
    public long getDeadLettered() {
        return figures().totals().deadLettered();
    }

    @Override
    public long getRevoked() {
        return figures().totals().revoked();
    }

    @Override
    public long getPurged() {
        return figures().totals().purged();
    }

    @Override
    public long getOldestMessageAgeMillis() {
        return figures().oldestAvailableMillis();
    }

    @Override
    public int purge() {
        return JmxBeans.operation(() -> management.purge(name)); // over a shared store: on every broker
    }

    @Override
    public String browse(String selector, int max) {
        return JmxBeans.operation(() -> AdminTables.messages(management.browse(name, selector, max)).render());
    }

    @Override
    public int moveMessages(String toQueue, String selector, boolean copy) {
        return JmxBeans.operation(() -> management.move(name, toQueue, selector, copy));
    }
}
