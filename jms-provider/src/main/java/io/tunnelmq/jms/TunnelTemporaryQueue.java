package io.tunnelmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.TemporaryQueue;

/**
 * A temporary queue, living as long as the connection that created it. A copy received in a message
 * (JMSReplyTo) can be sent to but not deleted.
 */
public final class TunnelTemporaryQueue extends TunnelDestination implements TemporaryQueue {
    private static final long serialVersionUID = 1L;

    /** Deletes the destination on the broker; null for copies that did not create it. */
    private final transient TemporaryDestinationOwner owner;

    public TunnelTemporaryQueue(String name, TemporaryDestinationOwner owner) {
        super(name);
        this.owner = owner;
    }

    @Override
    public String getQueueName() {
        return getName();
    }

    @Override
    public void delete() throws JMSException {
        TemporaryDestinationOwner.delete(owner, this);
    }

    @Override
    public String toString() {
        return "temp-queue://" + getName();
    }
}
