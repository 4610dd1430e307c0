package io.tunnelmq.jms;

import jakarta.jms.Queue;

/** A queue, named by its physical name on the broker. Queues are created on first use. */
public final class TunnelQueue extends TunnelDestination implements Queue {
    private static final long serialVersionUID = 1L;

    public TunnelQueue(String name) {
        super(name);
    }

    @Override
    public String getQueueName() {
        return getName();
    }

    @Override
    public String toString() {
        return "queue://" + getName();
    }
}
